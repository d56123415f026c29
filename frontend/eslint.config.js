// ESLint for the SPA (flat config): the recommended rules for JavaScript and Vue 3,
// with eslint-config-prettier last so that no rule argues with Prettier's layout.
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default [
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**'] },
  js.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.{js,mjs,vue}'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: {
        ...globals.browser,
        ...globals.node,
        // unplugin-auto-import (vite.config.js) imports Element Plus's service
        // functions wherever a script uses them without an import.
        ElMessage: 'readonly',
        ElMessageBox: 'readonly',
        ElNotification: 'readonly',
        ElLoading: 'readonly',
      },
    },
    rules: {
      // `const { page, ...rest } = q` is how the code drops keys from an object.
      'no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.test.js', 'tests/**/*.js'],
    languageOptions: { globals: { ...globals.vitest } },
  },
  prettier,
]
