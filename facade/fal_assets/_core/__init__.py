"""The request path below the resources: operations, the engine and its attempts, transport and
sockets, credentials, the packaged spec and its bounds, replies and text helpers."""
