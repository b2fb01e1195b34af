import { describe, expect, it } from 'vitest';
import { LocalCloudUnavailable, unavailableContext } from './context.ts';
import { checkpointFiles } from './registry.ts';

describe('unavailableContext', () => {
  it('stops a checkpoint that reaches for the local cloud with the reason none runs', () => {
    const context = unavailableContext('the local cloud is not running');
    expect(() => context.cloud).toThrow(LocalCloudUnavailable);
    expect(() => context.signedIn('alice')).toThrow('the local cloud is not running');
  });
});

describe('checkpointFiles', () => {
  it('has a checkpoint per module page, named after it', () => {
    const modules = [...checkpointFiles().keys()];
    expect(modules).toEqual(expect.arrayContaining([0, 1]));
    expect(modules.every((module) => Number.isInteger(module) && module >= 0 && module <= 99)).toBe(true);
  });
});
