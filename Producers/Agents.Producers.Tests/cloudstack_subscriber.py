#!/usr/bin/env python3
"""A subscriber that knows only CloudStack's event bus, written from CloudStack's sources, not ours.

Routing key (RabbitMQEventBus.createRoutingKey): source.category.type.resourceType.resourceUuid,
'*' for an empty field, '-' for a '.' inside one. Bodies (Gson of a Map, nulls left out):
  AsyncJobEvent (ApiServer.handleAsyncJobPublishEvent): type submit|update|complete, resource
    instanceType.instanceUuid; command, user, account, processStatus, resultCode, instanceUuid,
    instanceType, commandEventType, jobId, status as strings; jobResult and cmdInfo as objects.
  ActionEvent (ActionEventUtils.publishOnEventBus): event, status, entity, entityuuid,
    description, eventDateTime ("yyyy-MM-dd HH:mm:ss Z"); user, account.
  ResourceStateEvent (the state listeners): resource, id, old-state, new-state, status, eventDateTime.

usage: cloudstack_subscriber.py AMQP_URL VM_ID ROUTER_ID TIMEOUT_SECONDS
Prints 'ready', then one JSON line for each event about a job on the VM, the VM's password reset
and the router's state, as read with those names; exits 0 once it has a job's submit and complete
events, the VM.RESETPASSWORD action event and a state change of the router. Any event it
receives that does not have CloudStack's shape is an error line and exit 2; a timeout exit 1.
"""
import json, re, sys, time

import pika

DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}$")


class Shape(Exception):
    pass


def text(body, name, optional=False):
    if name not in body:
        if optional:
            return None
        raise Shape(f"no '{name}'")
    if not isinstance(body[name], str):
        raise Shape(f"'{name}' is not a string: {body[name]!r}")
    return body[name]


def word(value):
    return "*" if value in (None, "") else value.replace(".", "-")


def read(routing_key, body):
    key = routing_key.split(".")
    if len(key) != 5:
        raise Shape(f"routing key {routing_key} is not five words")
    source, category, kind, resource_type, resource_uuid = key
    if not isinstance(body, dict):
        raise Shape("body is not an object")
    if category == "AsyncJobEvent":
        if kind not in ("submit", "update", "complete"):
            raise Shape(f"job event type {kind}")
        job = {name: text(body, name) for name in ("command", "user", "account", "processStatus", "resultCode",
                                                   "instanceUuid", "instanceType", "commandEventType", "jobId", "status")}
        if job["status"] not in ("0", "1", "2") or not job["processStatus"].isdigit() or not job["resultCode"].isdigit():
            raise Shape(f"status/processStatus/resultCode not CloudStack's numbers: {job}")
        if not isinstance(body.get("cmdInfo"), dict):
            raise Shape("cmdInfo is not an object")
        if "jobResult" in body and not isinstance(body["jobResult"], dict):
            raise Shape("jobResult is not an object")
        if (resource_type, resource_uuid) != (word(job["instanceType"]), word(job["instanceUuid"])):
            raise Shape(f"key resource {resource_type}.{resource_uuid} is not the body's instance")
        return job["instanceUuid"] + "/job", dict(job, category=category, jobEvent=kind, jobResult=body.get("jobResult"), cmdInfo=body["cmdInfo"])
    if category == "ActionEvent":
        action = {name: text(body, name) for name in ("event", "status", "entity", "entityuuid", "description", "eventDateTime")}
        if kind != word(action["event"]) or not DATE.match(action["eventDateTime"]):
            raise Shape(f"action event {kind}: {action}")
        return action["entityuuid"] + "/" + action["event"], dict(action, category=category)
    if category == "ResourceStateEvent":
        state = {name: text(body, name) for name in ("resource", "id", "old-state", "new-state", "status", "eventDateTime")}
        if (resource_type, resource_uuid) != (word(state["resource"]), word(state["id"])) or not DATE.match(state["eventDateTime"]):
            raise Shape(f"state event {routing_key}: {state}")
        return state["id"], dict(state, category=category, type=kind)
    return None, None


def main():
    url, vm_id, router_id, timeout = sys.argv[1:5]
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    queue = channel.queue_declare(queue="", exclusive=True, auto_delete=True).method.queue
    for binding in ("*.AsyncJobEvent.#", "*.ActionEvent.#", "*.ResourceStateEvent.#"):
        channel.queue_bind(queue=queue, exchange="cloudstack-events", routing_key=binding)
    print("ready", flush=True)
    wanted = {"submit": False, "complete": False, "action": False, "state": False}
    deadline = time.monotonic() + float(timeout)
    for method, _, body in channel.consume(queue, inactivity_timeout=0.5):
        if method is not None:
            channel.basic_ack(method.delivery_tag)
            try:
                about, event = read(method.routing_key, json.loads(body))
            except (Shape, ValueError) as problem:
                print(json.dumps({"error": str(problem), "routingKey": method.routing_key}), flush=True)
                sys.exit(2)
            if about == vm_id + "/job":
                wanted[event["jobEvent"]] = True  # update too: not required, CloudStack sends it only on progress
            elif about == vm_id + "/VM.RESETPASSWORD":
                wanted["action"] = True
            elif about == router_id:
                wanted["state"] = True
            else:
                event = None
            if event is not None:
                print(json.dumps(dict(event, routingKey=method.routing_key)), flush=True)
            if all(wanted.values()):
                break
        if time.monotonic() > deadline:
            print(f"timeout: seen {wanted}", file=sys.stderr)
            sys.exit(1)
    connection.close()


if __name__ == "__main__":
    main()
