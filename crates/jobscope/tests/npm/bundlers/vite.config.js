// A user's Vite config, nothing jobscope-specific: Vite resolves `jobscope` to its browser entry, emits the .wasm it
// loads through `new URL(…, import.meta.url)` as an asset, and keeps the top-level await (its default build target
// has it).
export default {
  build: { outDir: 'dist/vite', emptyOutDir: true },
};
