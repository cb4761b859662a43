# Local run of the Worker in workerd (`npm run build && npm start`). Settings come from the
# environment: ORC_BASE_URL, ORC_CLIENT_ID, ORC_CLIENT_SECRET, ADMIN_TOKEN. Listens on
# 127.0.0.1:8787 (`--socket-addr http=127.0.0.1:PORT` to change). Durable Object storage is in
# memory: the tokens are gone when workerd stops. A real deploy: wrangler.toml.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Local runs talk to a provider (or the simulator) on loopback too; workerd's default
    # outbound allows public addresses only.
    (name = "outbound", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "oauth_edge_bg.wasm", wasm = embed "dist/oauth_edge_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "ORC_BASE_URL", fromEnvironment = "ORC_BASE_URL"),
    (name = "ORC_CLIENT_ID", fromEnvironment = "ORC_CLIENT_ID"),
    (name = "ORC_CLIENT_SECRET", fromEnvironment = "ORC_CLIENT_SECRET"),
    (name = "ADMIN_TOKEN", fromEnvironment = "ADMIN_TOKEN"),
    (name = "TOKENS", durableObjectNamespace = "TokenStoreDurableObject"),
  ],
  durableObjectNamespaces = [(className = "TokenStoreDurableObject", uniqueKey = "oauth-edge-worker-example")],
  durableObjectStorage = (inMemory = void),
  globalOutbound = "outbound",
);
