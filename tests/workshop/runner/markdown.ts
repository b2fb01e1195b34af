/**
 * Reads a workshop page (workshop/NN-slug.md) into what the runner needs: its fenced blocks,
 * the executable steps with their expected output, its headings and its links. Every position
 * is the 1-based line of the page, so a failure names `workshop/NN-slug.md:<line>`.
 *
 * The page format is in workshop/README.md ("How the pages are tested"): a step is a
 * ```bash step``` block (options `exit=N`, `timeout=S`, `aws`), its expected output the
 * ```text output``` or ```json output``` block right after it (only blank lines between).
 */

/** A fenced code block: where its opening fence is, its info string and its content. */
export interface Fence {
  /** Line of the opening fence. */
  line: number;
  /** The info string's words (` ```bash step exit=1 ` → `['bash', 'step', 'exit=1']`). */
  words: string[];
  /** The content, without the fences and without the fence's indentation. */
  body: string;
  /** Line of the closing fence (the last line of the page when it is unclosed). */
  endLine: number;
}

export interface ExpectedOutput {
  kind: 'text' | 'json';
  line: number;
  body: string;
}

/** A ```bash step``` block. */
export interface Step {
  line: number;
  command: string;
  /** The exit status the step must end with (`exit=N`; default 0). */
  exit: number;
  /** Per-step time limit (`timeout=S`; default 120 s). */
  timeoutSeconds: number;
  /** `aws`: needs a deployed stack; run only in stack mode, otherwise only shell-checked. */
  aws: boolean;
  /** Without one, only the exit status is checked. */
  expected?: ExpectedOutput;
}

/** A bash block, run or only shown; every one is shell-checked. */
export interface ShellBlock {
  line: number;
  code: string;
}

export interface Heading {
  level: number;
  text: string;
  line: number;
}

export interface Link {
  /** `image` for `![alt](target)`. */
  kind: 'link' | 'image';
  target: string;
  line: number;
}

export interface WorkshopPage {
  /** As given, e.g. `workshop/01-api.md`: the prefix of every `file:line`. */
  path: string;
  fences: Fence[];
  steps: Step[];
  shellBlocks: ShellBlock[];
  headings: Heading[];
  links: Link[];
  /** Malformed blocks (an unknown step option, an output block after no step, an unclosed fence), each as `file:line: what`. */
  problems: string[];
  /** The page's lines, for checks on prose (the goal line). */
  lines: string[];
}

export const DEFAULT_STEP_TIMEOUT_SECONDS = 120;

const FENCE_OPEN = /^( {0,3}|\s*(?:[-*+]|\d+[.)])?\s+)(`{3,}|~{3,})\s*([^`]*)$/;

export function parsePage(path: string, text: string): WorkshopPage {
  const lines = text.split(/\r?\n/);
  const fences: Fence[] = [];
  const headings: Heading[] = [];
  const links: Link[] = [];
  const problems: string[] = [];
  const at = (line: number) => `${path}:${line}`;

  for (let index = 0; index < lines.length; index += 1) {
    const lineText = lines[index]!;
    const open = FENCE_OPEN.exec(lineText);
    if (open) {
      const indent = open[1]!.length;
      const marker = open[2]!;
      const words = open[3]!.trim().split(/\s+/).filter(Boolean);
      const body: string[] = [];
      let end = index + 1;
      const closing = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      while (end < lines.length && !closing.test(lines[end]!)) {
        body.push(stripIndent(lines[end]!, indent));
        end += 1;
      }
      if (end >= lines.length) problems.push(`${at(index + 1)}: the fence opened here is never closed`);
      fences.push({ line: index + 1, words, body: body.join('\n'), endLine: Math.min(end, lines.length - 1) + 1 });
      index = end;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(lineText);
    if (heading) headings.push({ level: heading[1]!.length, text: heading[2]!, line: index + 1 });
    for (const match of lineText.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      links.push({ kind: match[1] === '!' ? 'image' : 'link', target: match[2]!, line: index + 1 });
    }
  }

  const steps: Step[] = [];
  const shellBlocks: ShellBlock[] = [];
  let previousStep: { step: Step; endLine: number } | undefined;
  for (const fence of fences) {
    const [language, role, ...options] = fence.words;
    if (role === 'output' && (language === 'text' || language === 'json')) {
      const afterStep = previousStep !== undefined && onlyBlankBetween(lines, previousStep.endLine, fence.line);
      if (!afterStep || previousStep === undefined) {
        problems.push(`${at(fence.line)}: a ${language} output block must follow a bash step (only blank lines between)`);
      } else if (previousStep.step.expected !== undefined) {
        previousStep.endLine = fence.endLine;
        problems.push(`${at(fence.line)}: the step at line ${previousStep.step.line} already has an output block`);
      } else {
        previousStep.step.expected = { kind: language, line: fence.line, body: fence.body };
        previousStep.endLine = fence.endLine;
        if (options.length > 0) problems.push(`${at(fence.line)}: an output block takes no options (${options.join(' ')})`);
      }
      continue;
    }
    previousStep = undefined;
    if (language !== 'bash') continue;
    shellBlocks.push({ line: fence.line, code: fence.body });
    if (role !== 'step') {
      if (role !== undefined) problems.push(`${at(fence.line)}: unknown bash block kind "${role}" (a step is \`\`\`bash step)`);
      continue;
    }
    const step: Step = { line: fence.line, command: fence.body, exit: 0, timeoutSeconds: DEFAULT_STEP_TIMEOUT_SECONDS, aws: false };
    for (const option of options) {
      const exit = /^exit=(\d{1,3})$/.exec(option);
      const timeout = /^timeout=(\d+)$/.exec(option);
      if (exit && Number(exit[1]) <= 255) step.exit = Number(exit[1]);
      else if (timeout && Number(timeout[1]) > 0) step.timeoutSeconds = Number(timeout[1]);
      else if (option === 'aws') step.aws = true;
      else problems.push(`${at(fence.line)}: unknown step option "${option}" (exit=N, timeout=S or aws)`);
    }
    if (step.command.trim() === '') problems.push(`${at(fence.line)}: the step is empty`);
    steps.push(step);
    previousStep = { step, endLine: fence.endLine };
  }

  return { path, fences, steps, shellBlocks, headings, links, problems, lines };
}

function stripIndent(line: string, indent: number): string {
  let removed = 0;
  while (removed < indent && line[removed] === ' ') removed += 1;
  return line.slice(removed);
}

/** Whether the page has only blank lines after the closing fence at `closeLine` and before the fence at `openLine`. */
function onlyBlankBetween(lines: string[], closeLine: number, openLine: number): boolean {
  for (let line = closeLine + 1; line < openLine; line += 1) if (lines[line - 1]!.trim() !== '') return false;
  return true;
}

/** The first line of a step's command, for test names and reports. */
export function firstLineOf(command: string): string {
  const first = command.split('\n').find((line) => line.trim() !== '') ?? '';
  return command.trim().includes('\n') ? `${first.trim()} …` : first.trim();
}
