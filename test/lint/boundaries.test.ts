/** The layer rule is enforced by lint: src/transform stays pure (house style). */
import { ESLint } from 'eslint';

const root = new URL('../../', import.meta.url).pathname;

async function messages(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint boundaries', () => {
  test('src/transform may not import node I/O, read the clock or draw random numbers', async () => {
    const bad = "import { readFileSync } from 'node:fs';\nexport const a = readFileSync('x');\nexport const t = Date.now();\nexport const r = Math.random();\n";
    const got = await messages(bad, 'src/transform/example.ts');
    expect(got).toEqual(expect.arrayContaining(['no-restricted-imports', 'no-restricted-properties']));
    expect(got.filter((m) => m === 'no-restricted-properties')).toHaveLength(2);
  });

  test('the same code is allowed in src/ingest', async () => {
    const ok = "import { readFileSync } from 'node:fs';\nexport const a = readFileSync('x');\n";
    expect(await messages(ok, 'src/ingest/example.ts')).toEqual([]);
  });

  test('src/cli loads the nightly job and the store only in their commands\' actions (a dynamic import), not at every start', async () => {
    const eager = "import { runJob } from '../../run-job.js';\nexport const f = runJob;\n";
    expect(await messages(eager, 'src/cli/commands/example.ts')).toContain('no-restricted-imports');
    const lazy = "export async function f(): Promise<unknown> {\n  const { runJob } = await import('../../run-job.js');\n  return runJob;\n}\n";
    expect(await messages(lazy, 'src/cli/commands/example.ts')).toEqual([]);
    const typeOnly = "import type { Store } from '../../publish/store.js';\nexport type S = Store;\n";
    expect(await messages(typeOnly, 'src/cli/commands/example.ts')).toEqual([]);
  });

  test('default exports are refused', async () => {
    expect(await messages('const x = 1;\nexport default x;\n', 'src/core/example.ts')).toContain('no-restricted-syntax');
  });
});
