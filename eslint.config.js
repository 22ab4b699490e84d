import tseslint from 'typescript-eslint';

const electronOnlyHere = ['src/main/electron/**', 'src/preload/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**', 'scripts/**', 'deploy/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name='only']", message: 'Remove .only before committing.' },
      ],
    },
  },
  { files: ['**/*.d.ts'], rules: { '@typescript-eslint/consistent-type-definitions': 'off' } },
  // Only the Electron edge may import electron: everything else must run (and be tested) under plain Node.
  {
    files: ['**/*.{ts,tsx}'],
    ignores: electronOnlyHere,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/electron and src/preload may import electron.' }] }],
    },
  },
  // The renderer talks to main through the contract only.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer never imports electron; use window.pos through the rpc client.' }],
          patterns: [
            { group: ['**/main/**', '**/main', 'better-sqlite3', 'stripe', 'node:*'], message: 'The renderer may import only src/shared and browser packages; call main through the contract.' },
          ],
        },
      ],
    },
  },
  // Shared code is imported by every process: zod only.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared imports zod only.' }],
          patterns: [{ group: ['**/main/**', '**/renderer/**', '**/emulator/**', '**/relay/**', 'node:*', 'better-sqlite3', 'stripe', 'react'], message: 'src/shared imports zod only.' }],
        },
      ],
    },
  },
);
