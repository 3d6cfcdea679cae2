#!/usr/bin/env python3
"""Publish a RunRecipe command on agents.commands with nothing but pika (docs/protocol.md).

usage: publish_command.py AMQP_URL ROUTER_ID VM_ID RECIPE [NAME=VALUE ...]
Prints the command id. The outcome arrives on cloudstack-events as an ActionEvent whose
commandId field is this id (see watch_events.py).
"""
import datetime, json, sys, uuid

import pika


def main():
    url, router, vm, recipe, *params = sys.argv[1:]
    command_id, job_id = str(uuid.uuid4()), str(uuid.uuid4())
    command = {
        "schemaVersion": 1,
        "messageId": str(uuid.uuid4()),
        "commandId": command_id,
        "jobId": job_id,
        "type": "RunRecipe",
        "routerId": router,
        "vmId": vm,
        "attempt": 1,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "deliveryTimeoutSeconds": 60,
        "executionTimeoutSeconds": 300,
        "payload": {"name": recipe, "parameters": dict(p.split("=", 1) for p in params), "timeoutSeconds": 120},
    }
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.confirm_delivery()  # publish returns once the broker has the message
    channel.basic_publish(
        exchange="agents.commands",
        routing_key=f"router.{router}.vm.{vm}",
        body=json.dumps(command).encode(),
        properties=pika.BasicProperties(
            content_type="application/json", delivery_mode=2, message_id=command["messageId"],
            correlation_id=job_id, type="RunRecipe", headers={"x-schema-version": 1}),
        mandatory=True)
    connection.close()
    print(command_id)


if __name__ == "__main__":
    main()
