// npm start: build if needed, open the Electron window; where Electron cannot run, serve the same
// services and screens over loopback HTTP and print the address. Ctrl+C stops either cleanly.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfNeeded, electronBinary, root } from './lib.mjs';

const built = await buildIfNeeded();
if (built !== 0) {
  console.error('Keydesk could not be built; see the messages above.');
  process.exit(built);
}

function runChild(cmd, args, env = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code: code ?? 0, signal });
    });
    child.on('error', (err) => resolve({ code: 127, signal: null, error: err }));
  });
}

function serveOverHttp(reason) {
  console.log(`Keydesk is opening in your browser instead of its own window, because ${reason}.`);
  return runChild(process.execPath, [join(root, 'out/main/harness.js')]);
}

const electron = electronBinary();
let result;
if (electron.path) {
  const started = Date.now();
  result = await runChild(electron.path, [root]);
  // A window that dies within seconds never really started (missing libraries, no GPU…): fall back.
  if (result.code !== 0 && !result.signal && Date.now() - started < 10_000) {
    result = await serveOverHttp(`Electron exited at start with code ${result.code}`);
  }
} else {
  result = await serveOverHttp(electron.reason);
}
process.exit(result.signal === 'SIGINT' || result.signal === 'SIGTERM' ? 0 : result.code);
