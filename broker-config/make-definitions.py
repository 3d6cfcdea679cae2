#!/usr/bin/env python3
"""Writes definitions.json: the topology, policies, users and least-privilege permissions.

Passwords come from AGENTS_PASSWORD_<USER> (user upper-cased, '-' as '_'); without one, the
development default from dev-credentials.json is used. Only salted SHA-256 hashes are written.
Usage: python3 broker-config/make-definitions.py [router-id ...]
"""
import base64, hashlib, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO_ROUTER = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b"
V = "/"


def password_hash(password):
    salt = os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def password_of(user, defaults):
    return os.environ.get("AGENTS_PASSWORD_" + user.upper().replace("-", "_"), defaults.get(user, user + "-dev-only"))


def perm(user, configure, write, read):
    return {"user": user, "vhost": V, "configure": configure, "write": write, "read": read}


def router_queue(router):
    return "agents.router." + router


def main():
    routers = sys.argv[1:] or [DEMO_ROUTER]
    with open(os.path.join(HERE, "dev-credentials.json")) as f:
        defaults = json.load(f)
    users = [("admin", "administrator"), ("producers", ""), ("consumers", ""), ("ca", ""), ("observer", "")]
    users += [("bridge-" + r, "") for r in routers]
    permissions = [
        perm("admin", ".*", ".*", ".*"),
        perm("producers", r"^(producers\..*|amq\.gen-.*)$",
             r"^(agents\.commands|cloudstack-events|amq\.default|producers\..*|amq\.gen-.*)$",
             r"^(producers\..*|cloudstack-events|agents\.dead|agents\.unroutable|amq\.gen-.*)$"),
        perm("consumers", r"^(consumers\..*|amq\.gen-.*)$",
             r"^(consumers\..*|amq\.gen-.*|cloudstack-events|amq\.default)$",
             r"^(consumers\..*|cloudstack-events|amq\.gen-.*)$"),
        perm("ca", r"^(ca\..*|amq\.gen-.*)$",
             r"^(ca\..*|cloudstack-events|agents\.commands|amq\.default|amq\.gen-.*)$",
             r"^(ca\..*|cloudstack-events|amq\.gen-.*)$"),
        # may bind a server-named queue on the event bus and read it; nothing else
        perm("observer", r"^amq\.gen-.*$", r"^amq\.gen-.*$", r"^(amq\.gen-.*|cloudstack-events)$"),
    ]
    for r in routers:
        q = router_queue(r).replace(".", r"\.")
        # its own queue (and its own event queues under it), publish events and RPC via the default exchange
        permissions.append(perm("bridge-" + r, rf"^{q}(\..*)?$",
                                rf"^({q}(\..*)?|cloudstack-events|amq\.default)$",
                                rf"^({q}(\..*)?|agents\.commands|cloudstack-events)$"))
    quorum = {"x-queue-type": "quorum"}
    queues = ["agents.unroutable", "agents.dead", "ca.requests"] + [router_queue(r) for r in routers]
    definitions = {
        "rabbit_version": "3.10.8",
        "users": [{"name": u, "password_hash": password_hash(password_of(u, defaults)),
                   "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": [t] if t else [], "limits": {}}
                  for u, t in users],
        "vhosts": [{"name": V}],
        "permissions": permissions,
        "topic_permissions": [], "parameters": [], "global_parameters": [],
        "policies": [
            {"vhost": V, "name": "agents-router-commands", "pattern": r"^agents\.router\.[^.]+$", "apply-to": "queues",
             "priority": 10, "definition": {"delivery-limit": 5, "dead-letter-exchange": "agents.dead",
                                            "dead-letter-strategy": "at-least-once", "overflow": "reject-publish",
                                            "message-ttl": 86400000}},
            {"vhost": V, "name": "agents-services", "pattern": r"^(ca\.requests|producers\..+|consumers\..+)$",
             "apply-to": "queues", "priority": 10,
             "definition": {"delivery-limit": 10, "dead-letter-exchange": "agents.dead",
                            "dead-letter-strategy": "at-least-once", "overflow": "reject-publish"}},
            # a router's own event queues (revocations): classic, self-expiring; what cannot be read is parked, not dropped
            {"vhost": V, "name": "agents-router-events", "pattern": r"^agents\.router\.[^.]+\..+$", "apply-to": "queues",
             "priority": 10, "definition": {"dead-letter-exchange": "agents.dead"}},
            {"vhost": V, "name": "agents-parked", "pattern": r"^agents\.dead$", "apply-to": "queues",
             "priority": 10, "definition": {"max-length": 1000000, "overflow": "reject-publish"}},
            # the API consumes agents.unroutable: a body it cannot read is parked in agents.dead, not dropped
            {"vhost": V, "name": "agents-unroutable", "pattern": r"^agents\.unroutable$", "apply-to": "queues",
             "priority": 10, "definition": {"max-length": 1000000, "overflow": "reject-publish", "dead-letter-exchange": "agents.dead"}},
        ],
        "queues": [{"name": q, "vhost": V, "durable": True, "auto_delete": False, "arguments": quorum} for q in queues],
        "exchanges": [
            {"name": "cloudstack-events", "vhost": V, "type": "topic", "durable": True, "auto_delete": False,
             "internal": False, "arguments": {}},
            {"name": "agents.commands", "vhost": V, "type": "topic", "durable": True, "auto_delete": False,
             "internal": False, "arguments": {"alternate-exchange": "agents.unroutable"}},
            {"name": "agents.unroutable", "vhost": V, "type": "fanout", "durable": True, "auto_delete": False,
             "internal": False, "arguments": {}},
            {"name": "agents.dead", "vhost": V, "type": "fanout", "durable": True, "auto_delete": False,
             "internal": False, "arguments": {}},
        ],
        "bindings": [
            {"source": "agents.unroutable", "vhost": V, "destination": "agents.unroutable", "destination_type": "queue",
             "routing_key": "", "arguments": {}},
            {"source": "agents.dead", "vhost": V, "destination": "agents.dead", "destination_type": "queue",
             "routing_key": "", "arguments": {}},
        ] + [{"source": "agents.commands", "vhost": V, "destination": router_queue(r), "destination_type": "queue",
              "routing_key": f"router.{r}.#", "arguments": {}} for r in routers],
    }
    with open(os.path.join(HERE, "definitions.json"), "w") as f:
        json.dump(definitions, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
