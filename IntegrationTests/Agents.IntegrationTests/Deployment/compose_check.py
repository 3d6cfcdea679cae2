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
for name in ["rabbitmq", "mail", "ca", "api", "consumers", "bridge", "agent", "init", "ready",
             "mariadb", "ca-1", "ca-2", "api-1", "api-2", "consumers-1", "consumers-2", "front", "cluster"]:
    check(name in services, f"service '{name}' missing")
one_shots = {"init", "ready", "cluster"}

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
    if name in one_shots:
        check(service.get("restart") == "no", f"{name}: a one-shot step must not be restarted (restart: \"no\")")
    else:
        check(service.get("restart") == "unless-stopped", f"{name}: no restart policy (restart: unless-stopped)")
    image = service.get("image")
    if image:
        check(re.search(r":v?\d+\.\d+\.\d+", image) is not None, f"{name}: image {image} is not pinned to a full version")
m = re.match(r"rabbitmq:(\d+)\.(\d+)", services["rabbitmq"]["image"])
check(m is not None and (int(m.group(1)), int(m.group(2))) >= (4, 0), "the broker image is not a supported RabbitMQ (4.0 or newer)")
check("console" in " ".join(services.get("ready", {}).get("entrypoint", [])), "nothing prints the console's address")
check("console" in " ".join(services.get("cluster", {}).get("entrypoint", [])), "nothing prints the cluster's console address")

# `docker compose up` (no profile) starts one node; `--profile cluster up cluster` starts only the cluster's graph
shared = {"rabbitmq", "mail"}
single = {n for n, s in services.items() if not s.get("profiles")}
cluster = {n for n, s in services.items() if "cluster" in (s.get("profiles") or [])}
check(single == {"rabbitmq", "mail", "ca", "api", "consumers", "bridge", "agent", "init", "ready"}, f"the services without a profile are {sorted(single)}")
def closure(name, seen):
    for dependency in (services.get(name, {}).get("depends_on") or {}):
        if dependency not in seen:
            seen.add(dependency)
            closure(dependency, seen)
    return seen
needed = closure("cluster", set())
check(needed == cluster - {"cluster"} | shared, f"the cluster step does not start exactly the cluster (it starts {sorted(needed)})")
for name in single - shared:
    check(not (closure(name, set()) & cluster), f"{name} depends on a service of the cluster profile")
for name in cluster:
    for dependency in (services[name].get("depends_on") or {}):
        check(dependency in cluster | shared, f"{name} (cluster) depends on {dependency}, which is not in the cluster profile")

# the init step: one-shot before the bridge and the agent, its files in one volume they read
init = services["init"]
check(init.get("depends_on", {}).get("api", {}).get("condition") == "service_healthy", "init does not wait for the API")
for name in ["bridge", "agent", "ready"]:
    check(services[name].get("depends_on", {}).get("init", {}).get("condition") == "service_completed_successfully", f"{name} does not wait for init to finish")
init_mount = next((v.split(":")[1] for v in init.get("volumes", []) if not v.startswith(".")), None)
check(init_mount is not None and init["environment"].get("ENROLLMENT_DIR") == init_mount, "init's ENROLLMENT_DIR is not its volume")
init_volume = next((v.split(":")[0] for v in init.get("volumes", []) if not v.startswith(".")), None)
script = " ".join(init.get("command", []))
check("$$ENROLLMENT_DIR/router.token" in script and "$$ENROLLMENT_DIR/agent.token" in script and "$$ENROLLMENT_DIR/ca.crt" in script, "init does not write router.token, agent.token and ca.crt")
check(f"--router $$ROUTER_ID" in script and init["environment"].get("ROUTER_ID") == services["bridge"]["environment"]["Bridge__RouterId"], "init makes the token of another router than the bridge's")
check(init["environment"].get("AGENTS_API_KEY") == services["api"]["environment"]["Producers__Bootstrap__AdminApiKey"]
      and init["environment"].get("AGENTS_SECRET_KEY") == services["api"]["environment"]["Producers__Bootstrap__AdminSecretKey"], "init does not sign with the API's admin keys")
for name in ["bridge", "agent"]:
    check(f"{init_volume}:{init_mount}:ro" in services[name].get("volumes", []), f"{name} does not mount init's volume read-only")
check(services["bridge"]["environment"].get("Bridge__EnrollmentTokenFile") == f"{init_mount}/router.token", "the bridge does not read init's router token")
agent_command = services["agent"].get("command", [])
def option(command, name):
    return command[command.index(name) + 1] if name in command and command.index(name) + 1 < len(command) else None
check(option(agent_command, "--token-file") == f"{init_mount}/agent.token", "the agent does not read init's token")
check(option(agent_command, "--ca-file") == f"{init_mount}/ca.crt", "the agent does not trust init's CA certificate")

# the cluster: every instance on the one MariaDB database, names distinct, secrets shared where they must be
db = services["mariadb"]["environment"]
expected = f"Server=mariadb;Port=3306;Database={db['MARIADB_DATABASE']};User ID={db['MARIADB_USER']};Password={db['MARIADB_PASSWORD']}"
for group, key in [(["ca-1", "ca-2"], "Ca__InstanceName"), (["api-1", "api-2"], None), (["consumers-1", "consumers-2"], "Consumers__InstanceName")]:
    for name in group:
        environment = services[name]["environment"]
        check(environment.get("Storage__Provider") == "MySql", f"{name}: not on MariaDB (Storage__Provider: MySql)")
        check(environment.get("Storage__ConnectionString") == expected, f"{name}: another database than the mariadb service's")
        check(services[name].get("healthcheck") is not None, f"{name}: no healthcheck")
    if key:
        names = [services[n]["environment"].get(key) for n in group]
        check(None not in names and len(set(names)) == len(names), f"{group}: {key} not set or not distinct")
for key in ["Producers__MasterKey", "Producers__Bootstrap__AdminApiKey", "Producers__Bootstrap__AdminSecretKey"]:
    check(services["api-1"]["environment"].get(key) == services["api-2"]["environment"].get(key), f"the API instances differ in {key}")
check(services["ca-1"]["volumes"] == services["ca-2"]["volumes"] and services["ca-1"]["environment"]["AGENTS_CA_PASSPHRASE"] == services["ca-2"]["environment"]["AGENTS_CA_PASSPHRASE"],
      "the CA instances do not share the root key (one data volume, one passphrase)")
check(services["ca-2"].get("depends_on", {}).get("ca-1", {}).get("condition") == "service_healthy", "ca-2 may start before ca-1 made the root key")
front = services["front"].get("command", [])
backends = [front[i + 1] for i, a in enumerate(front) if a == "--backend"]
check(sorted(backends) == sorted(f"http://{n}:{services[n]['environment']['Producers__ListenUrl'].rsplit(':', 1)[1]}" for n in ["api-1", "api-2"]), f"the front's backends {backends} are not the API instances")
check(option(front, "--listen") is not None and f"{option(front, '--listen').rsplit(':', 1)[1]}:{option(front, '--listen').rsplit(':', 1)[1]}" in services["front"].get("ports", []), "the front's port is not published")

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
