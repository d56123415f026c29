import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Element Plus is loaded on demand: the resolvers import each component (and its
// CSS) where a template or script uses it, so a page only ships what it shows.
// Under vitest the CSS is skipped: jsdom does not lay out, and Node cannot import .css.
export default defineConfig(({ mode }) => {
  const resolver = ElementPlusResolver({ importStyle: mode === 'test' ? false : 'css' })
  return {
    plugins: [vue(), AutoImport({ resolvers: [resolver], dts: false }), Components({ resolvers: [resolver], dts: false })],
    server: {
      port: 5173,
      strictPort: true,
      proxy: {
        '/api': { target: 'http://127.0.0.1:8000' },
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // No source maps in what the gateway serves: they would publish the source.
      sourcemap: false,
      // dist/.vite/manifest.json: which chunks each entry and page pull in, read by
      // scripts/bundle-budget.mjs to check the cockpit's and the phone pages' JavaScript budget.
      manifest: true,
    },
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.js', 'tests/**/*.test.js', 'scripts/**/*.test.js'],
      setupFiles: ['tests/setup.js'],
      // Element Plus goes through Vite in tests, as in the build: loaded by Node directly,
      // its `async-validator` import resolves to the CommonJS build and form rules
      // silently pass.
      server: { deps: { inline: ['element-plus'] } },
      restoreMocks: true,
      // The first test to open a lazily loaded page transforms it and the Element Plus
      // components it uses (inlined, see above) on the spot: on a busy two-core machine
      // that alone takes 5–8 s, beyond vitest's 5 s default.
      testTimeout: 30_000,
      unstubGlobals: true,
    },
  }
})
