import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Code that runs inside the Temporal workflow sandbox must stay deterministic and free of I/O.
const sandboxed = ['src/workflows/**/*.ts', 'src/domain/**/*.ts', 'src/contracts/**/*.ts', 'test/fixtures/**/*workflow*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', '.temporal/', '.data/', 'coverage/', 'lib/', 'dist/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Text for officials uses the ideographic space (U+3000) between fields.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/index.ts'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'error' },
  },
  {
    files: sandboxed,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...builtinModules.map((name) => ({ name, message: 'Node built-ins are not available in the workflow sandbox.' })),
            { name: 'nodemailer', message: 'Mail is sent by activities, never from workflow or domain code.' },
            { name: 'smtp-server', message: 'Not for workflow or domain code.' },
            { name: 'mailparser', message: 'Not for workflow or domain code.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'Node built-ins are not available in the workflow sandbox.' },
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'Import activities as types only and call them through proxyActivities.',
            },
          ],
        },
      ],
    },
  },
);
