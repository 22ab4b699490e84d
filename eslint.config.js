import tseslint from 'typescript-eslint';
import boundaries from './eslint-rules/boundaries.js';

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
  // Every "never" of DESIGN §1 in one rule (eslint-rules/boundaries.js): electron only at the edge;
  // main ↛ the edge; renderer ↛ main; shared imports zod only; relay ↛ main; gateway ↛ services;
  // services/core/db ↛ rpc; core ↛ services; a capability ↛ another's private files; stripe and
  // better-sqlite3 confined. Each rule has a case in test/unit/lintBoundaries.test.ts.
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { keydesk: boundaries },
    rules: {
      'keydesk/import-boundaries': [
        'error',
        {
          stripeAllowed: [
            'src/main/stripe/**',
            'src/relay/backfill.ts',
            'src/emulator/**/*.test.ts',
            'test/**',
            'bench/**',
            // Test-only helpers for main (they drive the emulator like a customer's card would).
            'src/main/testing/**',
            // Still importing stripe outside the list above; their owners confine them (issue 9).
            'src/emulator/testHarness.ts',
            'src/relay/cli.ts',
            'src/relay/server.ts',
            'src/relay/testing/webhooks.ts',
            'src/relay/*.test.ts',
          ],
          sqliteAllowed: ['src/main/db/**', 'src/relay/store/**'],
        },
      ],
    },
  },
);
