// Preloaded into a CLI child by runCliMeasured: at exit, writes the process's peak RSS and CPU
// time (user + system) to the file named by NP_USAGE_FILE. CPU time, unlike wall-clock time, does
// not grow when the machine is busy with other work.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(process.env.NP_USAGE_FILE, JSON.stringify({ maxRssMb: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
});
