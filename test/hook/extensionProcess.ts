// A stand-in for the extension host, in a process of its own so a test can crash it (SIGKILL),
// freeze it (SIGSTOP) or look at what it listens on (/proc/<pid>/fd). It serves the commit
// channel of one git directory with the real server of src/node/ipc.ts.
//   argv: <gitDir> <answer: commit|cancel>
// Prints "ready <endpoint JSON>" once listening, and "asked <headline>" for each question.
import { startIpcServer } from '../../src/node/ipc';

const [gitDir, answer] = process.argv.slice(2);
void startIpcServer(gitDir!, async (q) => {
  process.stdout.write(`asked ${q.headline}\n`);
  return answer === 'commit' ? { decision: 'commit', reason: 'from the stand-in' } : { decision: 'cancel' };
}).then((server) => {
  process.stdout.write(`ready ${JSON.stringify(server.endpoint)}\n`);
  process.on('SIGTERM', () => void server.dispose().then(() => process.exit(0)));
});
