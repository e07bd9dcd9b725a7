// Answers the program function contract as job.parameters.probe says, so a test can see what a function receives and
// how each kind of answer is taken: echo (the event itself, in the operation's answer field), error (fails with
// errorType and errorMessage), exit (exits with status 3 and no output), notJson, wrongShape, sleep (past any timeout).
'use strict';
const FIELD = { split: 'subJobs', work: 'output', aggregate: 'result' };
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const event = JSON.parse(input);
  const p = event.job.parameters;
  switch (p.probe) {
    case 'echo':
      process.stdout.write(JSON.stringify({ [FIELD[event.operation]]: event.operation === 'split' ? [event] : event }));
      break;
    case 'error':
      process.stdout.write(JSON.stringify({ errorType: p.errorType, errorMessage: p.errorMessage }));
      process.exitCode = 1;
      break;
    case 'exit':
      process.exitCode = 3;
      break;
    case 'notJson':
      process.stdout.write('this is not JSON');
      break;
    case 'wrongShape':
      process.stdout.write(JSON.stringify({ answer: 42 }));
      break;
    case 'sleep':
      setTimeout(() => {}, 60000);
      break;
    default:
      process.stderr.write(`unknown probe ${p.probe}\n`);
      process.exitCode = 2;
  }
});
