#!/usr/bin/env python3
"""An independent CloudStack request signer, written from CloudStack's developer guide
("Signing API Requests"), not from the C# code:

  1. every parameter except signature, as name=URL-encoded value;
  2. sorted by field name, the whole string lower-cased;
  3. HMAC-SHA1 with the secret key, base64; the signature is URL-encoded into the request.

usage: cloudstack_signer.py SECRET name=value ... -> prints "signature<TAB>query string"
"""
import base64
import hashlib
import hmac
import sys
import urllib.parse


def sign(params, secret):
    pairs = sorted((k.lower(), urllib.parse.quote_plus(v).replace('+', '%20')) for k, v in params)
    canonical = '&'.join(k + '=' + v for k, v in pairs).lower()
    return base64.b64encode(hmac.new(secret.encode(), canonical.encode(), hashlib.sha1).digest()).decode()


def main():
    secret = sys.argv[1]
    params = [tuple(a.split('=', 1)) for a in sys.argv[2:]]
    signature = sign(params, secret)
    query = urllib.parse.urlencode(params + [('signature', signature)], quote_via=urllib.parse.quote)
    print(signature + '\t' + query)


if __name__ == '__main__':
    main()
