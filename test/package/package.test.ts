import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { listRepoFiles, packAndExtract, removeDir, repoFile, repoRoot, scanFolder } from '../support/package';

interface PackedPackage {
	tarball: string;
	dir: string;
	files: string[];
	packageJson: Record<string, unknown>;
}

interface N8nSection {
	n8nNodesApiVersion: number;
	strict: boolean;
	nodes: string[];
	credentials: string[];
}

const SOURCE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];

describe('the published package', () => {
	let packed: PackedPackage;
	let n8n: N8nSection;

	beforeAll(() => {
		packed = packAndExtract() as PackedPackage;
		n8n = packed.packageJson.n8n as N8nSection;
	});

	afterAll(() => removeDir(`${packed.dir}/..`));

	it('declares the four nodes and the credential in its n8n section', () => {
		expect(n8n.n8nNodesApiVersion).toBe(1);
		expect(n8n.strict).toBe(true);
		expect(n8n.nodes).toEqual([
			'dist/nodes/TikTokPayments/TikTokPayments.node.js',
			'dist/nodes/TikTokPaymentsTrigger/TikTokPaymentsTrigger.node.js',
			'dist/nodes/MapToSkrBookings/MapToSkrBookings.node.js',
			'dist/nodes/MarkAsBooked/MarkAsBooked.node.js',
		]);
		expect(n8n.credentials).toEqual(['dist/credentials/TikTokPaymentsOAuthApi.credentials.js']);
	});

	it('ships every file the n8n section lists, with the icons and codex files', () => {
		for (const file of [...n8n.nodes, ...n8n.credentials]) {
			expect(packed.files).toContain(file);
		}
		expect(packed.files).toEqual(
			expect.arrayContaining([
				'dist/icons/tiktokPayments.svg',
				'dist/icons/tiktokPayments.dark.svg',
				'dist/icons/mapToSkrBookings.svg',
				'dist/icons/mapToSkrBookings.dark.svg',
				'dist/icons/markAsBooked.svg',
				'dist/icons/markAsBooked.dark.svg',
				'dist/nodes/TikTokPayments/TikTokPayments.node.json',
				'dist/nodes/MapToSkrBookings/MapToSkrBookings.node.json',
				'dist/nodes/MarkAsBooked/MarkAsBooked.node.json',
				'README.md',
				'LICENSE',
				'package.json',
			]),
		);
	});

	it('ships nothing a user does not need', () => {
		const unexpected = packed.files.filter(
			(file) =>
				!/^dist\/(nodes|credentials|lib|icons)\//.test(file) &&
				!['README.md', 'LICENSE', 'package.json'].includes(file),
		);
		expect(unexpected).toEqual([]);
		expect(packed.files.filter((file) => /\.(ts|map)$|tsbuildinfo|sandbox|test|bench/.test(file))).toEqual(
			[],
		);
	});

	it('has no runtime dependencies and only n8n-workflow as peer dependency', () => {
		expect(packed.packageJson.dependencies).toBeUndefined();
		expect(packed.packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(packed.packageJson.keywords).toContain('n8n-community-node-package');
		expect(packed.packageJson.license).toBe('MIT');
	});

	it("passes n8n's community package scanner on the source folder", () => {
		const result = scanFolder(repoRoot, SOURCE_PATTERNS);
		expect(result.details ?? '').toBe('');
		expect(result.passed).toBe(true);
	});

	it("passes n8n's community package scanner on the packed tarball", () => {
		const result = scanFolder(packed.dir, ['**/*.js', 'package.json']);
		expect(result.details ?? '').toBe('');
		expect(result.passed).toBe(true);
	});
});

describe('the repository', () => {
	it('uses the unmodified n8n eslint config (strict mode)', () => {
		expect(repoFile('eslint.config.mjs').replace(/\s+/g, ' ').trim()).toBe(
			"import { config } from '@n8n/node-cli/eslint'; export default config;",
		);
	});

	it('never silences a lint rule (n8n\'s scanner ignores suppression comments)', () => {
		// Built from parts so that this file does not match itself.
		const suppression = new RegExp(`${'eslint'}-disable|@ts-${'ignore'}|@ts-${'nocheck'}`);
		const offenders = listRepoFiles(/\.(ts|js|mjs)$/).filter((file) => suppression.test(repoFile(file)));
		expect(offenders).toEqual([]);
	});
});
