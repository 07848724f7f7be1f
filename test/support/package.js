// Node built-ins for the package tests (n8n's strict lint forbids them in .ts files).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * Packs the repository with `npm pack` (dist/ must be built) and extracts the tarball.
 * @returns {{ tarball: string, dir: string, files: string[], packageJson: Record<string, unknown> }}
 */
function packAndExtract() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tiktok-payments-pack-'));
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
		cwd: repoRoot,
		encoding: 'utf8',
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
	});
	const [info] = JSON.parse(out);
	const tarball = path.join(work, info.filename);
	const dir = path.join(work, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['xzf', tarball, '--strip-components=1', '-C', dir]);
	const files = info.files.map((file) => file.path).sort();
	const packageJson = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	return { tarball, dir, files, packageJson };
}

/**
 * Runs n8n's community-package scanner (@n8n/scan-community-package) on a folder, in a child process because
 * the scanner is an ES module.
 * @param {string} dir
 * @param {string[]} patterns
 * @returns {{ passed: boolean, message: string, details?: string }}
 */
function scanFolder(dir, patterns) {
	const script = path.join(__dirname, 'scan-folder.mjs');
	// eslint-plugin-n8n-nodes-base treats NODE_ENV=test (which jest sets) as its own test run and then expects every
	// node file to be called Test.node.ts: the scanner must run in a normal environment.
	const env = { ...process.env };
	delete env.NODE_ENV;
	const out = execFileSync(process.execPath, [script, dir, JSON.stringify(patterns)], {
		cwd: repoRoot,
		encoding: 'utf8',
		env,
		maxBuffer: 64 * 1024 * 1024,
	});
	return JSON.parse(out.trim().split('\n').pop());
}

function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
}

function repoFile(relativePath) {
	return fs.readFileSync(path.join(repoRoot, relativePath), 'utf8');
}

/**
 * Files git tracks or would track (untracked, not ignored), relative to the repo root, matching `pattern`.
 * @param {RegExp} pattern
 * @returns {string[]}
 */
function listRepoFiles(pattern) {
	const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
		cwd: repoRoot,
		encoding: 'utf8',
	});
	return out
		.split('\n')
		.filter((file) => file && pattern.test(file))
		.filter((file) => fs.existsSync(path.join(repoRoot, file)));
}

module.exports = { packAndExtract, scanFolder, removeDir, repoFile, repoRoot, listRepoFiles };
