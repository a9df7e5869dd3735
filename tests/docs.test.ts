import { describe, expect, it } from 'vitest';
import { fillBlocks, inputsTable, staleFiles } from '../scripts/docs.ts';

describe('generated docs', () => {
  it('every action README carries the inputs and outputs of its action.yml, and docs/config.md matches the schema (run `pnpm gen:docs`)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('fills a generated block and refuses a README without one', () => {
    const table = inputsTable({ inputs: { token: { description: 'a | b', default: '${{ github.token }}' } } });
    expect(fillBlocks('x\n<!-- generated:inputs -->\nold\n<!-- /generated -->\ny', { inputs: table }, 'R.md')).toBe(
      `x\n<!-- generated:inputs -->\n${table}\n<!-- /generated -->\ny`,
    );
    expect(table).toContain('a \\| b');
    expect(() => fillBlocks('no block', { inputs: table }, 'R.md')).toThrow('R.md: no <!-- generated:inputs -->');
  });
});
