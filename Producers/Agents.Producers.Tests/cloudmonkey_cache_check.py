#!/usr/bin/env python3
"""CloudMonkey's cache loader, as a check: reads a listApis answer (the whole
{"listapisresponse": {...}} JSON) on stdin and makes the same type assertions as
cloudstack-cloudmonkey config/cache.go UpdateCache (a Go type assertion that fails panics
there), then checks the type of every other field listApis documents. Prints the number of
APIs and exits 0, or prints each problem and exits 1. Written from cache.go, not from our code."""
import json
import sys

problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


def is_str(v):
    return isinstance(v, str)


body = json.load(sys.stdin)
response = body.get("listapisresponse")
need(isinstance(response, dict), "no listapisresponse object")
response = response or {}
# cache.go: count := response["count"]; apiList := response["api"].([]interface{})
need("count" in response and isinstance(response["count"], int) and not isinstance(response["count"], bool), "count missing or not a number")
apis = response.get("api")
need(isinstance(apis, list), "api is not a list")
for api in apis or []:
    if not isinstance(api, dict):
        problems.append(f"api entry is not an object: {api!r}")
        continue
    name = api.get("name")
    # cache.go: api["name"].(string), api["isasync"].(bool), api["description"].(string), api["params"].([]interface{})
    need(is_str(name), f"{name!r}: name is not a string")
    need(isinstance(api.get("isasync"), bool), f"{name}: isasync is not a boolean")
    need(is_str(api.get("description")), f"{name}: description is not a string")
    need(isinstance(api.get("params"), list), f"{name}: params is not a list")
    # the rest of ApiDiscoveryResponse: since and related are strings when present, response a list
    for field in ("since", "related"):
        need(field not in api or is_str(api[field]), f"{name}: {field} is not a string")
    need(isinstance(api.get("response"), list), f"{name}: response is not a list")
    for param in api.get("params") or []:
        pname = param.get("name") if isinstance(param, dict) else None
        # cache.go: apiArg["name"].(string), apiArg["type"].(string), apiArg["required"].(bool),
        # apiArg["description"].(string), and apiArg["related"].(string) when it is not nil
        need(isinstance(param, dict), f"{name}: a param is not an object")
        if not isinstance(param, dict):
            continue
        need(is_str(pname), f"{name}: a param name is not a string")
        need(is_str(param.get("type")), f"{name}.{pname}: type is not a string")
        need(param.get("type") in ("string", "uuid", "long", "integer", "short", "boolean", "date", "list", "map", "object", "tzdate"),
             f"{name}.{pname}: type {param.get('type')!r} is not one of CloudStack's")
        need(isinstance(param.get("required"), bool), f"{name}.{pname}: required is not a boolean")
        need(is_str(param.get("description")), f"{name}.{pname}: description is not a string")
        need(param.get("related") is None or is_str(param.get("related")), f"{name}.{pname}: related is not a string")
        need(isinstance(param.get("length"), int) and not isinstance(param.get("length"), bool), f"{name}.{pname}: length is not a number")
        need("since" not in param or is_str(param["since"]), f"{name}.{pname}: since is not a string")

    def fields(entries, where):
        for f in entries:
            need(isinstance(f, dict) and is_str(f.get("name")) and is_str(f.get("description")) and is_str(f.get("type")),
                 f"{where}: a response field lacks a string name, description or type: {f!r}")
            if isinstance(f, dict) and "response" in f:
                need(isinstance(f["response"], list), f"{where}.{f.get('name')}: response is not a list")
                fields(f["response"] if isinstance(f["response"], list) else [], f"{where}.{f.get('name')}")

    fields(api.get("response") or [], str(name))
need(response.get("count") == len(apis or []), f"count {response.get('count')} is not the number of apis {len(apis or [])}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(len(apis))
