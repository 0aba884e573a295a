#!/usr/bin/env python3
"""A TCP relay that adds a fixed delay to each direction: LISTEN_HOST:PORT -> TARGET_HOST:PORT.

  delay_relay.py LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT ONE_WAY_MS

Stands in for `tc qdisc ... netem delay` on kernels without sch_netem: every chunk read from one
side is written to the other ONE_WAY_MS later, in order, so a request/response round trip costs
2 * ONE_WAY_MS; a new connection waits one round trip before its first byte, like a TCP handshake.
Bandwidth is not limited. Prints 'relay ready' once listening.
"""
import asyncio
import sys


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def sender():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                try:
                    writer.write_eof()
                except OSError:
                    pass
                return
            writer.write(data)
            await writer.drain()

    task = asyncio.create_task(sender())
    try:
        while True:
            data = await reader.read(256 * 1024)
            queue.put_nowait((loop.time() + delay, data if data else None))
            if not data:
                break
        await task
    except (ConnectionError, OSError):
        task.cancel()
    finally:
        try:
            writer.close()
        except OSError:
            pass


async def handle(client_reader, client_writer, target, delay):
    await asyncio.sleep(2 * delay)
    try:
        server_reader, server_writer = await asyncio.open_connection(*target)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pump(client_reader, server_writer, delay), pump(server_reader, client_writer, delay),
                         return_exceptions=True)


async def main():
    listen_host, listen_port, target_host, target_port, ms = sys.argv[1:6]
    delay = int(ms) / 1000.0
    target = (target_host, int(target_port))
    server = await asyncio.start_server(lambda r, w: handle(r, w, target, delay), listen_host, int(listen_port))
    print("relay ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
