#!/usr/bin/env python3
"""Subscribe to the CloudStack event bus like any CloudStack subscriber (docs/protocol.md).

usage: watch_events.py AMQP_URL BINDING [COUNT] [TIMEOUT_SECONDS]
Binds a private queue on cloudstack-events with BINDING (e.g. '*.AlertEvent.#'), prints
'ready', then one JSON line per event: {"routingKey": ..., "body": {...}}. Exits after COUNT
events (default: run until interrupted) or TIMEOUT_SECONDS without reaching COUNT (exit 1).
"""
import json, sys, time

import pika


def main():
    url, binding = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 0
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    queue = channel.queue_declare(queue="", exclusive=True, auto_delete=True).method.queue
    channel.queue_bind(queue=queue, exchange="cloudstack-events", routing_key=binding)
    print("ready", flush=True)
    seen, deadline = 0, time.monotonic() + timeout if timeout else None
    for method, properties, body in channel.consume(queue, inactivity_timeout=0.5):
        if method is not None:
            print(json.dumps({"routingKey": method.routing_key, "body": json.loads(body)}), flush=True)
            channel.basic_ack(method.delivery_tag)
            seen += 1
            if count and seen >= count:
                break
        if deadline and time.monotonic() > deadline:
            print(f"timeout: {seen} of {count} events", file=sys.stderr)
            sys.exit(1)
    connection.close()


if __name__ == "__main__":
    main()
