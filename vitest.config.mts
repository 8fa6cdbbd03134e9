import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'renderer/**/*.test.ts',
      'shared/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Training tests run real (tiny) models on the wasm backend of a 2-core machine.
    testTimeout: 60000,
  },
});
