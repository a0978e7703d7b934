// A stand-in for the extension host, in a process of its own so a test can crash it (SIGKILL),
// freeze it (SIGSTOP), look at what it listens on (/proc/<pid>/fd), or have it start a commit (so
// that it is the commit's ancestor, as a window's extension host is when its Git extension
// commits). It serves the commit channel of one git directory with the real server of
// src/node/ipc.ts.
//   argv: <gitDir> <answer: commit|cancel> [focused]
// Prints "ready <{endpoint, file} JSON>" once listening, and "asked <headline>" for each question.
// Reads JSON lines on stdin: {"focus": true|false} (prints "focus <bool>" once recorded), and
// {"commit": {"cwd", "args", "env"}}: runs git with those arguments as its own child and prints
// "committed <{status, stderr} JSON>".
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startIpcServer } from '../../src/node/ipc';

const [gitDir, answer, focused] = process.argv.slice(2);
void startIpcServer(gitDir!, async (q) => {
  process.stdout.write(`asked ${q.headline}\n`);
  return answer === 'commit' ? { decision: 'commit', reason: 'from the stand-in' } : { decision: 'cancel' };
}, { focused: focused === 'focused' }).then((server) => {
  process.stdout.write(`ready ${JSON.stringify({ endpoint: server.endpoint, file: server.file })}\n`);
  process.on('SIGTERM', () => void server.dispose().then(() => process.exit(0)));
  createInterface({ input: process.stdin }).on('line', (line) => {
    const cmd = JSON.parse(line) as { focus?: boolean; commit?: { cwd: string; args: string[]; env: NodeJS.ProcessEnv } };
    if (cmd.focus !== undefined) {
      server.setFocused(cmd.focus);
      process.stdout.write(`focus ${cmd.focus}\n`);
    }
    if (cmd.commit) {
      const child = spawn('git', cmd.commit.args, { cwd: cmd.commit.cwd, env: cmd.commit.env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.on('close', (status) => process.stdout.write(`committed ${JSON.stringify({ status, stderr })}\n`));
    }
  });
});
