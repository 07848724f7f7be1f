// Installs this repository's package into an n8n user folder the way n8n's community-package installer does, so the
// end-to-end tests exercise exactly what users get from npm: the packed tarball (only the `files` the package
// publishes), its production dependencies, and the node types n8n registers as `<package name>.<node name>`.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runtimeEnv } from './n8n-runtime.mjs';
import { log, runChecked, seconds } from './proc.mjs';

/** Node and credential files the package.json `n8n` section declares that are missing from dist/. */
function missingBuildOutputs(repo) {
	const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
	if (!pkg.n8n) throw new Error(`${repo}/package.json has no "n8n" section`);
	const declared = [...(pkg.n8n.nodes ?? []), ...(pkg.n8n.credentials ?? [])];
	return declared.filter((file) => !existsSync(join(repo, file)));
}

/** Runs `npm pack` (without lifecycle scripts: the build is the caller's job) and returns the tarball path. */
export async function packRepo({ repo = repoRoot, destination } = {}) {
	const missing = missingBuildOutputs(repo);
	if (missing.length > 0) throw new Error(`build the package first (npm run build); missing: ${missing.join(', ')}`);
	const outDir = destination ?? mkdtempSync(join(tmpdir(), 'e2e-pack-'));
	const result = await runChecked('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], {
		cwd: repo,
		env: runtimeEnv(),
		timeoutMs: 120_000,
	});
	const [info] = JSON.parse(result.stdout);
	return { tarball: join(outDir, info.filename), name: info.name, version: info.version, files: info.files.map((f) => f.path) };
}

/**
 * Installs the packed repository into `$userFolder/.n8n/nodes/node_modules/<name>`, replacing an earlier copy.
 * Pass `tarball` (from packRepo) to reuse one `npm pack` for many user folders. Returns { dir, name, version, files }.
 */
export async function installPackageInto(userFolder, { repo = repoRoot, tarball } = {}) {
	const began = Date.now();
	const packed = tarball ? { tarball } : await packRepo({ repo });
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const staging = mkdtempSync(join(tmpdir(), 'e2e-unpack-'));
	try {
		await runChecked('tar', ['-xzf', packed.tarball, '-C', staging], { timeoutMs: 60_000 });
		// npm tarballs hold a single top-level folder, normally `package/`.
		const [top] = readdirSync(staging);
		const unpacked = join(staging, top);
		const pkgFile = join(unpacked, 'package.json');
		const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
		// Like n8n's installer: only production dependencies; n8n provides n8n-workflow itself.
		delete pkg.devDependencies;
		delete pkg.peerDependencies;
		delete pkg.optionalDependencies;
		writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
		const dir = join(nodesDir, 'node_modules', pkg.name);
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(join(dir, '..'), { recursive: true });
		await runChecked('mv', [unpacked, dir], { timeoutMs: 60_000 });
		await runChecked(
			'npm',
			['install', '--omit=dev', '--omit=peer', '--ignore-scripts', '--install-strategy=shallow', '--package-lock=false', '--no-audit', '--no-fund'],
			{ cwd: dir, env: runtimeEnv(), timeoutMs: 300_000 },
		);
		log(`installed ${pkg.name}@${pkg.version} into ${dir} (${seconds(began)})`);
		// A tarball packed here is deleted below, so only a caller's own tarball path is returned.
		return { dir, name: pkg.name, version: pkg.version, files: packed.files, tarball };
	} finally {
		rmSync(staging, { recursive: true, force: true });
		if (!tarball) rmSync(join(packed.tarball, '..'), { recursive: true, force: true });
	}
}
