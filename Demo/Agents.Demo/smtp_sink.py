#!/usr/bin/env python3
"""A real SMTP server for the demo and `./run up`: each message is saved as one .eml file.

usage: smtp_sink.py HOST PORT MAIL_DIR
"""
import asyncio, os, sys, time, uuid

from aiosmtpd.controller import Controller


class SaveToDirectory:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        temp = os.path.join(self.directory, "." + name)
        with open(temp, "wb") as f:
            f.write(f"X-Envelope-From: {envelope.mail_from}\r\n".encode())
            f.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(temp, os.path.join(self.directory, name))
        return "250 Message accepted for delivery"


def main():
    host, port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(SaveToDirectory(directory), hostname=host, port=port)
    controller.start()
    print(f"smtp sink listening on {host}:{port}, saving to {directory}", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
