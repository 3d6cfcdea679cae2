#!/usr/bin/env python3
"""Checks docker-compose.yml without Docker: it parses, every file it names exists, every
Dockerfile builds a project of this repository, and its names and ports agree with the configs.
Prints one line per problem and exits 1 if there is any; prints the number of checks otherwise."""
import json, os, re, sys
import yaml

root = sys.argv[1]
problems, checks = [], 0

def check(ok, message):
    global checks
    checks += 1
    if not ok:
        problems.append(message)

with open(os.path.join(root, "docker-compose.yml")) as f:
    compose = yaml.safe_load(f)
services = compose["services"]
for name in ["rabbitmq", "mail", "ca", "api", "consumers", "bridge", "agent"]:
    check(name in services, f"service '{name}' missing")

for name, service in services.items():
    build = service.get("build")
    if build:
        dockerfile = os.path.join(root, build.get("context", "."), build["dockerfile"])
        check(os.path.isfile(dockerfile), f"{name}: {build['dockerfile']} does not exist")
        if os.path.isfile(dockerfile):
            text = open(dockerfile).read()
            for project in re.findall(r"dotnet publish (\S+\.csproj)", text):
                check(os.path.isfile(os.path.join(root, project)), f"{name}: {dockerfile} publishes {project}, which does not exist")
            for dll in re.findall(r'"([\w.]+)\.dll"', text):
                check(any(p.endswith(f"/{dll}.csproj") for p in re.findall(r"dotnet publish (\S+)", text)), f"{name}: entry point {dll}.dll is not the published project")
    for volume in service.get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("."):
            check(os.path.exists(os.path.join(root, source)), f"{name}: volume source {source} does not exist")
        else:
            check(source in (compose.get("volumes") or {}), f"{name}: named volume {source} is not declared")
    for dependency in (service.get("depends_on") or {}):
        check(dependency in services, f"{name}: depends on unknown service {dependency}")

# every long-running service comes back by itself; every image is pinned to a full version; the broker is a supported release
for name, service in services.items():
    if name != "ready":
        check(service.get("restart") == "unless-stopped", f"{name}: no restart policy (restart: unless-stopped)")
    image = service.get("image")
    if image:
        check(re.search(r":v?\d+\.\d+\.\d+", image) is not None, f"{name}: image {image} is not pinned to a full version")
m = re.match(r"rabbitmq:(\d+)\.(\d+)", services["rabbitmq"]["image"])
check(m is not None and (int(m.group(1)), int(m.group(2))) >= (4, 0), "the broker image is not a supported RabbitMQ (4.0 or newer)")
check("console" in " ".join(services.get("ready", {}).get("entrypoint", [])), "nothing prints the console's address")

# broker users and passwords in the services' URIs are the ones broker-config defines
definitions = json.load(open(os.path.join(root, "broker-config", "definitions.json")))
users = {u["name"] for u in definitions["users"]}
passwords = json.load(open(os.path.join(root, "broker-config", "dev-credentials.json")))
for name, service in services.items():
    uri = (service.get("environment") or {}).get("RabbitMq__Uri")
    if uri:
        m = re.match(r"amqp://([^:]+):([^@]+)@rabbitmq:(\d+)/", uri)
        check(m is not None, f"{name}: RabbitMq__Uri {uri} does not point at the rabbitmq service")
        if m:
            check(m.group(1) in users, f"{name}: broker user {m.group(1)} is not in definitions.json")
            check(passwords.get(m.group(1)) == m.group(2), f"{name}: password of {m.group(1)} differs from dev-credentials.json")
            check(m.group(3) == "5672", f"{name}: AMQP port {m.group(3)} is not the broker's 5672")

# the bridge serves the router broker-config has a queue and a user for, on the port it publishes
bridge = services["bridge"]["environment"]
router = bridge["Bridge__RouterId"]
check(f"bridge-{router}" in users, f"no broker user bridge-{router} for the bridge's router")
check(any(q["name"] == f"agents.router.{router}" for q in definitions["queues"]), f"no queue agents.router.{router}")
check(f'{bridge["Bridge__ListenPort"]}:{bridge["Bridge__ListenPort"]}' in services["bridge"].get("ports", []), "the bridge's listen port is not published")
check(bridge.get("Bridge__AuthStrictness", "true") == "true", "the bridge does not run with ca.plugin.root.auth.strictness on")
check(bridge["Bridge__CrlUrl"].startswith(services["ca"]["environment"]["Ca__PublicUrl"]), "the bridge's CRL URL is not the CA's public URL")
ca_port = services["ca"]["environment"]["Ca__HttpUrl"].rsplit(":", 1)[1]
check(f"{ca_port}:{ca_port}" in services["ca"].get("ports", []), "the CA's HTTP port is not published")
api_port = services["api"]["environment"]["Producers__ListenUrl"].rsplit(":", 1)[1]
check(f"{api_port}:{api_port}" in services["api"].get("ports", []), "the API's listen port is not published")
consumers = services["consumers"]["environment"]
check(services["api"]["environment"].get("Producers__AuditDatabasePath") == consumers["Consumers__AuditDatabasePath"], "the API reads another audit database than the consumers write")

# the broker's compose config keeps the production config's guards
production = open(os.path.join(root, "broker-config", "rabbitmq.conf")).read()
compose_conf = open(os.path.join(root, "broker-config", "compose", "rabbitmq.conf")).read()
for guard in ["max_message_size", "loopback_users.guest", "definitions.local.path"]:
    check(guard in production and guard in compose_conf, f"broker guard {guard} missing from one of the configs")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{checks} checks passed")
