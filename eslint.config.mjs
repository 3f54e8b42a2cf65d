// Lint keeps the architecture honest: the analysis core never learns about VS Code or the DOM,
// native inference stays in the modules made for it, and the shared protocol imports from nobody.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nativePackages = ['onnxruntime-node', 'sherpa-onnx-node', 'koffi', 'sharp'];
const domGlobals = ['window', 'document', 'navigator', 'HTMLElement', 'localStorage', 'acquireVsCodeApi'];

const noVscode = { name: 'vscode', message: 'The analysis core and the CLI must not depend on VS Code.' };
const nativeOnly = (where) =>
  nativePackages.map((name) => ({ name, message: `Native inference and decoding belong in ${where}, which run outside the extension host thread.` }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', 'test-results/**', '.vsix-stage/**', 'vsix/**', '.bench/**', 'demo-output/**', 'demo-workspace/**', 'esbuild.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // The analysis core: no vscode, no DOM, no upward imports; native packages only in vision/, geometry/,
    // speech/ and voice/, whose native work runs in their worker threads.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/vision/**', 'src/core/geometry/**', 'src/core/speech/**', 'src/core/voice/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nativeOnly('src/core/vision, src/core/geometry, src/core/speech and src/core/voice')],
        patterns: [{ group: ['**/extension/**', '**/webview/**', '**/cli/**'], message: 'The core must not import its faces.' }],
      }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['src/core/vision/**/*.ts', 'src/core/geometry/**/*.ts', 'src/core/speech/**/*.ts', 'src/core/voice/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: ['**/extension/**', '**/webview/**', '**/cli/**'], message: 'The core must not import its faces.' }],
      }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // Shared types and protocols: imported by every side, import from none.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nativeOnly('src/core/vision, src/core/geometry, src/core/speech and src/core/voice')],
        patterns: [{ group: ['**/core/**', '**/extension/**', '**/webview/**', '**/cli/**', 'node:*'], message: 'src/shared imports nothing from either side.' }],
      }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // The webview is browser code: it talks to the host through src/shared/reviewProtocol only.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview cannot load the vscode API; post a message to the host.' }, ...nativeOnly('the analysis child process')],
        patterns: [{ group: ['**/core/**', '**/extension/**', '**/cli/**', 'node:*'], message: 'The webview imports only src/shared and browser packages.' }],
      }],
    },
  },
  {
    // The notebook renderer is browser code in a notebook's output webview: no vscode, no Node, no host code;
    // only src/shared, the label colours it shares with the review panel, and its own files.
    files: ['src/notebook/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'A notebook renderer cannot load the vscode API; post a message (see rendererProtocol.ts).' },
          ...nativeOnly('the analysis child process'),
          ...builtinModules.map((name) => ({ name, message: 'The notebook renderer runs in a browser: no Node built-ins.' })),
        ],
        patterns: [{ group: ['**/core/**', '**/extension/**', '**/cli/**', '**/webview/**', '!**/webview/labelColors', 'node:*'], message: 'The notebook renderer imports only src/shared, webview/labelColors and its own files.' }],
      }],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nativeOnly('src/core/vision, src/core/geometry, src/core/speech and src/core/voice')],
        patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'The CLI is a face on the core only.' }],
      }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // The extension host never loads native inference: the engine runs in a child process.
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nativeOnly('the analysis child process'),
        patterns: [
          { group: ['**/core/vision/**', '**/core/speech/**'], message: 'Run the engine through core/engine/childProcess/engineClient (child process).' },
          { group: ['**/webview/**', '**/cli/**'], message: 'The extension does not import the webview or the CLI.' },
        ],
      }],
    },
  },
);
