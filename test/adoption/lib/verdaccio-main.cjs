// Child process of registry.ts: one verdaccio on 127.0.0.1, an ephemeral port, the config file given as argv[2].
// Prints {"port":N} on its first line once it listens; exits on SIGTERM.
const { runServer } = require("verdaccio");

runServer(process.argv[2]).then(
  (server) => {
    server.listen(0, "127.0.0.1", () => {
      process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
    });
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
  },
  (error) => {
    process.stderr.write(`verdaccio: ${error?.message}\n`);
    process.exit(1);
  },
);
