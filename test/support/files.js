'use strict';
// Reads files for tests (n8n's strict lint forbids `fs`/`path` in .ts files). Relative paths are resolved against the
// repository root (fixtures live in test/fixtures/).
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * @param {string} absPathOrRepoRelative
 * @returns {Uint8Array}
 */
function readFileBytes(absPathOrRepoRelative) {
	const file = path.isAbsolute(absPathOrRepoRelative)
		? absPathOrRepoRelative
		: path.join(repoRoot, absPathOrRepoRelative);
	const buffer = fs.readFileSync(file);
	return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

module.exports = { readFileBytes };
