import { runnerImport } from 'vite';
const { module } = await runnerImport(new URL('./gemmMicro.ts', import.meta.url).pathname, {
  configFile: false,
  logLevel: 'error',
});
process.exit(await module.main(process.argv.slice(2)));
