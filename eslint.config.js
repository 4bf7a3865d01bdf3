// Lint: typescript-eslint's recommended rules plus the layering of ../shared/STYLE.md:
// data → sae → conflicts → server/web; agents use data only; experiments/ (the
// experiment runner) uses data, agents, sae and conflicts and is used by cli/ only; nothing imports cli/, test/ or bench/.
import tseslint from 'typescript-eslint';

const noImport = (...groups) => ({
  'no-restricted-imports': [
    'error',
    { patterns: groups.map((g) => ({ group: [`**/${g}/**`, `../${g}/*`], message: `layering: this folder may not import ${g}/` })) },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'thoughtlens-workspace/**', 'artifacts/**', 'web/dist/**', 'scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['util/**/*.ts'], rules: noImport('experiments', 'data', 'sae', 'conflicts', 'agents', 'server', 'web', 'cli', 'test', 'bench') },
  { files: ['data/**/*.ts'], rules: noImport('experiments', 'sae', 'conflicts', 'agents', 'server', 'web', 'cli', 'test', 'bench') },
  { files: ['sae/**/*.ts'], rules: noImport('experiments', 'conflicts', 'agents', 'server', 'web', 'cli', 'test', 'bench') },
  { files: ['conflicts/**/*.ts'], rules: noImport('experiments', 'agents', 'server', 'web', 'cli', 'test', 'bench') },
  { files: ['agents/**/*.ts'], rules: noImport('experiments', 'sae', 'conflicts', 'server', 'web', 'cli', 'test', 'bench') },
  { files: ['experiments/**/*.ts'], rules: noImport('server', 'web', 'cli', 'test', 'bench') },
  { files: ['server/**/*.ts'], rules: noImport('web', 'cli', 'test', 'bench') },
  { files: ['web/**/*.ts'], rules: noImport('experiments', 'sae', 'conflicts', 'agents', 'cli', 'test', 'bench') },
);
