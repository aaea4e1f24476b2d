/** Turns a closed loop's failures into report problems (a loop with failed requests is not a valid result). */
export function loopProblems(loop) {
  const problems = [];
  if (loop.completed === 0) problems.push('no request completed');
  if (loop.errorCount > 0) {
    problems.push(`${loop.errorCount} of ${loop.completed + loop.errorCount} requests failed; first: ${loop.firstError?.message}`);
  }
  return problems;
}
