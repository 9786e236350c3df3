// Starts the Intacct simulator as a separate process, exactly as an operator would, and tells the tests its URL.
"use strict";
const { spawn } = require("node:child_process");
const http = require("node:http");
const path = require("node:path");

// The SDK accepts only endpoints under intacct.com. Instead of an /etc/hosts line, this test process
// resolves sim.intacct.com to the loopback address where the simulator listens; the SDK is untouched.
const simulatorHost = "sim.intacct.com";
http.globalAgent = new http.Agent({
  lookup(hostname, options, callback) {
    if (hostname !== simulatorHost) return require("node:dns").lookup(hostname, options, callback);
    return options && options.all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4);
  },
});

const root = path.resolve(__dirname, "..", "..");

function startSimulator(extraArgs = []) {
  const dll = process.env.INTERWEAVE_SIMULATORS_DLL;
  const command = dll
    ? ["dotnet", [dll]]
    : ["dotnet", ["run", "--project", path.join(root, "tools", "Interweave.Simulators"), "--"]];
  const child = spawn(command[0], [...command[1], "intacct", "--urls", "http://127.0.0.1:0", "--seed", "none", ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${output}`)), 60000);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        const local = new URL(match[1]);
        resolve({ endpointUrl: `http://${simulatorHost}:${local.port}${local.pathname}`, stop: () => child.kill() });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code}:\n${output}`)));
  });
}

module.exports = { startSimulator };
