/*
 * The GitHub workflows: both files are valid YAML, CI runs the commands .ci/run runs (README's two commands first),
 * the publish workflow tests before it publishes with provenance, and README documents every command they call.
 */
import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'yaml';

import { repoFile } from '../support/package';

interface Step {
	name?: string;
	uses?: string;
	run?: string;
}
interface Job {
	needs?: string | string[];
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	on: { push?: { tags?: string[]; branches?: string[] }; pull_request?: unknown };
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

function readWorkflow(file: string): Workflow {
	const document = parseDocument(repoFile(file), { uniqueKeys: true });
	expect(document.errors.map((error) => error.message)).toEqual([]);
	return document.toJS() as Workflow;
}

/**
 * The npm commands of shell text, in order: the lines that start with npm, split at `&&`; comments, echo lines and
 * other commands dropped.
 */
function npmCommands(shell: string): string[] {
	return shell
		.split('\n')
		.map((line) => line.replace(/(^|\s)#.*$/, '').trim())
		.filter((line) => line.startsWith('npm '))
		.flatMap((line) => line.split('&&'))
		.map((command) => command.trim().replace(/\s+/g, ' '))
		.filter((command) => command.startsWith('npm '));
}

function jobCommands(job: Job): string[] {
	return job.steps.flatMap((step) => (step.run ? npmCommands(step.run) : []));
}

/** The commands in README's ```bash blocks. */
function readmeCommands(): { first: string[]; all: Set<string> } {
	const blocks = [...repoFile('README.md').matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]);
	const lines = (block: string) => block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean);
	return { first: lines(blocks[0]), all: new Set(blocks.flatMap((block) => npmCommands(block))) };
}

const scripts = JSON.parse(repoFile('package.json')).scripts as Record<string, string>;
const ci = readWorkflow('.github/workflows/ci.yml');
const publish = readWorkflow('.github/workflows/publish.yml');

describe('.github/workflows/ci.yml', () => {
	const [job] = Object.values(ci.jobs);

	it('runs on pushes to main and on pull requests, in one job', () => {
		expect(ci.on.push?.branches).toEqual(['main']);
		expect(ci.on).toHaveProperty('pull_request');
		expect(Object.keys(ci.jobs)).toHaveLength(1);
	});

	it('runs README\'s two commands as they are written there, the cold path first', () => {
		const runs = job.steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
		const { first } = readmeCommands();
		expect(first).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
		expect(runs.filter((run) => first.includes(run))).toEqual(first);
	});

	it('runs the npm commands of .ci/run, in the same order', () => {
		expect(jobCommands(job)).toEqual(npmCommands(repoFile('.ci/run')));
		expect(jobCommands(job)).toContain('npm run test:e2e:n8n1');
	});
});

describe('.github/workflows/publish.yml', () => {
	it('runs on version tags only', () => {
		expect(publish.on).toEqual({ push: { tags: ['*.*.*'] } });
	});

	it('tests first, then builds, lints and publishes with provenance from a job that may mint an OIDC token', () => {
		const { test, publish: release } = publish.jobs;
		expect(jobCommands(test)).toEqual(['npm ci', 'npm test']);
		expect(release.needs).toBe('test');
		expect(release.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(publish.permissions).toEqual({ contents: 'read' });
		expect(jobCommands(release)).toEqual(['npm ci', 'npm run build', 'npm run lint', 'npm publish --provenance --access public']);
	});
});

describe('both workflows and README', () => {
	const workflowCommands = [...Object.values(ci.jobs), ...Object.values(publish.jobs)].flatMap(jobCommands);

	it('call only scripts package.json defines', () => {
		for (const command of workflowCommands) {
			const script = /^npm run (\S+)/.exec(command)?.[1];
			if (script) expect(Object.keys(scripts)).toContain(script);
		}
	});

	it('call only commands README documents', () => {
		const { all } = readmeCommands();
		for (const command of new Set(workflowCommands)) expect([...all]).toContain(command);
	});
});
