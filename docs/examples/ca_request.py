#!/usr/bin/env python3
"""Ask the CA over ca.requests with nothing but pika (docs/protocol.md, "The CA request bus").

usage: ca_request.py AMQP_URL TYPE [JSON_BODY]
  ca_request.py amqp://producers:...@host/ ListCaProviders
  ca_request.py amqp://producers:...@host/ CreateEnrollmentToken '{"holder": "urn:cloudstack:vm:6b7c...", "routerId": "f3a1..."}'
  ca_request.py amqp://producers:...@host/ RevokeCertificate '{"serialNumber": "5F3A...", "reason": "keyCompromise"}'
Prints the answer's type on the first line and its JSON body on the second; exits 1 on a CaError.
"""
import json, sys, uuid

import pika

REPLY_TO = "amq.rabbitmq.reply-to"  # RabbitMQ's direct reply-to: no reply queue to declare


def main():
    url, request_type = sys.argv[1], sys.argv[2]
    body = sys.argv[3] if len(sys.argv) > 3 else "{}"
    parameters = pika.URLParameters(url)
    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()
    answer = {}

    def on_reply(ch, method, properties, reply_body):
        if properties.correlation_id == correlation_id:
            answer["type"], answer["body"] = properties.type, json.loads(reply_body)
            ch.stop_consuming()

    # consume from the pseudo-queue before publishing, with auto-ack (direct reply-to requires it)
    channel.basic_consume(queue=REPLY_TO, on_message_callback=on_reply, auto_ack=True)
    correlation_id = str(uuid.uuid4())
    channel.basic_publish(
        exchange="", routing_key="ca.requests", body=body.encode(),
        properties=pika.BasicProperties(
            type=request_type, reply_to=REPLY_TO, correlation_id=correlation_id, message_id=correlation_id,
            content_type="application/json",
            # the broker checks user_id against the connection's user; the CA decides by it who may issue and revoke
            user_id=parameters.credentials.username),
        mandatory=True)
    connection.call_later(30, channel.stop_consuming)
    channel.start_consuming()
    connection.close()
    if not answer:
        sys.exit("no answer from the CA within 30 s")
    print(answer["type"])
    print(json.dumps(answer["body"]))
    sys.exit(1 if answer["type"] == "CaError" else 0)


if __name__ == "__main__":
    main()
