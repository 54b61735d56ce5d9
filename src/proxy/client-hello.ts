// Reads the server name (SNI) from a TLS ClientHello, for tunnels we do not decrypt. Returns undefined for
// anything that is not a complete ClientHello record with a host_name entry; never throws on hostile bytes.

export function readClientHelloSni(data: Buffer): string | undefined {
  try {
    return parse(data);
  } catch {
    return undefined;
  }
}

function parse(data: Buffer): string | undefined {
  // TLS record: type 22 (handshake), version (2), length (2); handshake: type 1 (ClientHello), length (3).
  if (data.length < 9 || data[0] !== 0x16 || data[5] !== 0x01) return undefined;
  const recordEnd = Math.min(data.length, 5 + data.readUInt16BE(3));
  let at = 9 + 2 + 32; // client version, random
  if (at >= recordEnd) return undefined;
  at += 1 + data[at]!; // session id
  if (at + 2 > recordEnd) return undefined;
  at += 2 + data.readUInt16BE(at); // cipher suites
  if (at + 1 > recordEnd) return undefined;
  at += 1 + data[at]!; // compression methods
  if (at + 2 > recordEnd) return undefined;
  const extensionsEnd = Math.min(recordEnd, at + 2 + data.readUInt16BE(at));
  at += 2;
  while (at + 4 <= extensionsEnd) {
    const type = data.readUInt16BE(at);
    const length = data.readUInt16BE(at + 2);
    at += 4;
    if (type === 0x0000) {
      // server_name: list length (2), then entries of name type (1), length (2), name.
      let entry = at + 2;
      const listEnd = Math.min(at + length, extensionsEnd);
      while (entry + 3 <= listEnd) {
        const nameType = data[entry]!;
        const nameLength = data.readUInt16BE(entry + 1);
        const nameStart = entry + 3;
        if (nameStart + nameLength > listEnd) return undefined;
        if (nameType === 0) return data.toString('ascii', nameStart, nameStart + nameLength).toLowerCase();
        entry = nameStart + nameLength;
      }
      return undefined;
    }
    at += length;
  }
  return undefined;
}
