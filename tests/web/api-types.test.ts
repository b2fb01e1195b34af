import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_PATH, renderApiTypes } from '../../web/scripts/api-types.ts';

describe('web/src/api/schema.d.ts', () => {
  it('is what `npm run openapi` generates from docs/openapi.json', async () => {
    const current = readFileSync(API_TYPES_PATH, 'utf8') === (await renderApiTypes());
    expect(current, 'web/src/api/schema.d.ts is stale: run `npm run openapi`').toBe(true);
  });
});
