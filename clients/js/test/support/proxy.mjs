// A TCP proxy that can silently stop forwarding the connections it carries while keeping their sockets
// open: to the client the link looks alive (no FIN, no RST) but nothing gets through, which is what a
// lost NAT mapping or a dead Wi-Fi looks like. Connections made afterwards are forwarded normally.
import net from 'node:net'

export async function startProxy(targetPort, targetHost = '127.0.0.1') {
  const links = new Set() // { client, upstream, forwarding }
  let accepted = 0
  let refusing = false
  const server = net.createServer((client) => {
    accepted += 1
    if (refusing) {
      client.destroy()
      return
    }
    const link = { client, upstream: net.connect(targetPort, targetHost), forwarding: true }
    links.add(link)
    for (const [from, to] of [[link.client, link.upstream], [link.upstream, link.client]]) {
      from.on('data', (chunk) => { if (link.forwarding) to.write(chunk) })
      from.on('close', () => { links.delete(link); to.destroy() })
      from.on('error', () => to.destroy())
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: server.address().port,
    /** Number of client connections accepted so far. */
    get accepted() { return accepted },
    /** Drops every byte, both ways, of the connections open now. */
    blackhole() { for (const link of links) link.forwarding = false },
    /** Cuts every connection open now (the client sees the TCP connection reset) and refuses new ones until restore(). */
    cut() {
      refusing = true
      for (const link of links) { link.client.destroy(); link.upstream.destroy() }
    },
    /** Forwards new connections again. */
    restore() { refusing = false },
    /** Sends new connections to another port (a surviving node). */
    retarget(port) { targetPort = port },
    async close() {
      for (const link of links) { link.client.destroy(); link.upstream.destroy() }
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
