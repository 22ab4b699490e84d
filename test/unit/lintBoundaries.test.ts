import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints source text as if it lived at a given path, so the folder rules are checked without touching the tree.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(text: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

const importElectron = "import { app } from 'electron';\nexport const x = app;\n";

describe('import boundaries', () => {
  it('refuses electron in services', async () => {
    expect((await ruleIds(importElectron, 'src/main/services/settings/settingsService.ts')).join('\n')).toMatch(/Only src\/main\/electron and src\/preload may import electron/);
  });

  it('refuses electron in the renderer and in shared code', async () => {
    expect((await ruleIds(importElectron, 'src/renderer/src/App.tsx')).join('\n')).toMatch(/no-restricted-imports/);
    expect((await ruleIds(importElectron, 'src/shared/money.ts')).join('\n')).toMatch(/no-restricted-imports/);
  });

  it('allows electron at the edge', async () => {
    expect(await ruleIds(importElectron, 'src/main/electron/main.ts')).toEqual([]);
    expect(await ruleIds(importElectron, 'src/preload/index.ts')).toEqual([]);
  });

  it('refuses main-process code in the renderer', async () => {
    const text = "import { dispatch } from '../../main/rpc/dispatch';\nexport const d = dispatch;\n";
    expect((await ruleIds(text, 'src/renderer/src/App.tsx')).join('\n')).toMatch(/renderer may import only src\/shared/);
  });
});
