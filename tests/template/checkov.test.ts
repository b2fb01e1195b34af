import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TEMPLATE, loadTemplate, run, venvTool } from './support/tools.ts';

// checkov runs twice per template: without our config (every finding, to compare with the
// accepted list) and from the repository root as a developer would (the config applied, which
// must leave nothing). It scans template.yaml and the SAM-transformed template, the latter for
// what SAM generates (roles, permissions, API Gateway stage and methods).

const CONFIG = path.join(ROOT, '.checkov.yaml');

interface Skip {
  id: string;
  reason: string;
}

/** The accepted findings: `- CKV_ID  # reason` lines under skip-check in .checkov.yaml. */
function acceptedSkips(): Skip[] {
  const lines = readFileSync(CONFIG, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^skip-check:\s*$/.test(line));
  if (start === -1) return [];
  const skips: Skip[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s+-/.test(line)) break;
    const match = /^\s+-\s+(\S+)\s*(?:#\s*(.*))?$/.exec(line);
    if (!match?.[1]) throw new Error(`Unreadable skip-check line in .checkov.yaml: ${line}`);
    skips.push({ id: match[1], reason: (match[2] ?? '').trim() });
  }
  return skips;
}

interface Finding {
  check_id: string;
  check_name: string;
  resource: string;
}

function failedChecks(file: string, cwd: string): Finding[] {
  const result = run(venvTool('checkov'), ['-f', file, '--framework', 'cloudformation', '--skip-download', '-o', 'json'], {
    cwd,
  });
  // Exit status 1 only means "there are failed checks"; anything else is a broken run.
  if (result.status !== 0 && result.status !== 1) throw new Error(`checkov did not run:\n${result.output}`);
  const parsed = JSON.parse(result.stdout) as
    | { results?: { failed_checks?: Finding[] }; summary?: unknown }
    | Array<{ results?: { failed_checks?: Finding[] } }>;
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  if (reports.every((report) => report.results === undefined && !('summary' in report))) {
    throw new Error(`Unexpected checkov output:\n${result.output}`);
  }
  return reports.flatMap((report) => report.results?.failed_checks ?? []);
}

const describeFindings = (findings: Finding[]) =>
  findings.map((finding) => `${finding.check_id} ${finding.resource}: ${finding.check_name}`).join('\n');

describe('checkov', () => {
  let scratch: string;
  const templates: Record<'template.yaml' | 'SAM-transformed', string> = { 'template.yaml': TEMPLATE, 'SAM-transformed': '' };

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'orders-checkov-'));
    templates['SAM-transformed'] = path.join(scratch, 'transformed.json');
    writeFileSync(templates['SAM-transformed'], JSON.stringify(loadTemplate('transform'), null, 1));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives every accepted finding a reason', () => {
    const skips = acceptedSkips();
    expect(skips.length).toBeGreaterThan(0);
    const unexplained = skips.filter((skip) => skip.reason.length < 20).map((skip) => skip.id);
    expect(unexplained, 'skip-check entries in .checkov.yaml need a reason comment on the same line').toEqual([]);
  });

  it('finds nothing beyond the accepted findings, and every accepted finding still applies', () => {
    const accepted = new Set(acceptedSkips().map((skip) => skip.id));
    const seen = new Set<string>();
    for (const [name, file] of Object.entries(templates)) {
      // Run outside the repository so that .checkov.yaml is not applied: we want every finding.
      const findings = failedChecks(file, scratch);
      findings.forEach((finding) => seen.add(finding.check_id));
      const unexpected = findings.filter((finding) => !accepted.has(finding.check_id));
      expect(unexpected, `New checkov findings on ${name}: fix them, or accept them in .checkov.yaml with a reason\n${describeFindings(unexpected)}`).toEqual([]);
    }
    const stale = [...accepted].filter((id) => !seen.has(id));
    expect(stale, 'These skips in .checkov.yaml no longer match any finding: remove them').toEqual([]);
  });

  it('passes with the repository configuration applied', () => {
    for (const [name, file] of Object.entries(templates)) {
      const findings = failedChecks(file, ROOT);
      expect(findings, `checkov with .checkov.yaml on ${name}:\n${describeFindings(findings)}`).toEqual([]);
    }
  });
});
