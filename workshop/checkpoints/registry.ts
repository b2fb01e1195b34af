import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This directory: a module's checkpoint is `NN.ts` here (no list to edit). */
export const CHECKPOINTS_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));

const CHECKPOINT_FILE = /^(\d\d)\.ts$/;

/** The checkpoint files by module number, read from the file names (`03.ts` → 3). */
export function checkpointFiles(directory = CHECKPOINTS_DIRECTORY): Map<number, string> {
  return new Map(
    readdirSync(directory)
      .map((name) => CHECKPOINT_FILE.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map((match) => [Number(match[1]), join(directory, match[0])]),
  );
}
