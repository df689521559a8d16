<?php

declare(strict_types=1);

namespace Herald\Tests\Support;

/** A minimal WebSocket client (RFC 6455, text frames, no extensions) to watch what Herald delivers. */
final class WsClient
{
    private const WAIT_SECONDS = 10;

    /** @var resource */
    private $socket;
    private string $buffer = '';
    public ?int $closeCode = null;

    public function __construct(string $host, int $port, string $pathAndQuery)
    {
        $socket = stream_socket_client("tcp://$host:$port", $errno, $error, self::WAIT_SECONDS);
        if ($socket === false) {
            throw new \RuntimeException("cannot connect to $host:$port: $error");
        }
        $this->socket = $socket;
        $key = base64_encode(random_bytes(16));
        fwrite($socket, "GET $pathAndQuery HTTP/1.1\r\nHost: $host:$port\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            . "Sec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 13\r\n\r\n");
        while (!str_contains($this->buffer, "\r\n\r\n")) {
            $this->fill();
        }
        [$head, $this->buffer] = explode("\r\n\r\n", $this->buffer, 2);
        if (!str_starts_with($head, 'HTTP/1.1 101')) {
            throw new \RuntimeException("upgrade refused: $head");
        }
    }

    /** The next text message as an array, or null once the connection is closed (see $closeCode). */
    public function next(): ?array
    {
        while (true) {
            $frame = $this->frame();
            if ($frame === null) {
                return null;
            }
            [$opcode, $payload] = $frame;
            if ($opcode === 0x1) {
                return json_decode($payload, true, 512, JSON_THROW_ON_ERROR);
            }
            if ($opcode === 0x8) {
                $this->closeCode = strlen($payload) >= 2 ? unpack('n', $payload)[1] : 1005;
                return null;
            }
        }
    }

    /** The next message, which must have this type. */
    public function expect(string $type): array
    {
        $m = $this->next();
        if ($m === null || ($m['type'] ?? null) !== $type) {
            throw new \RuntimeException("expected a $type message, got " . json_encode($m) . " (close {$this->closeCode})");
        }
        return $m;
    }

    public function send(string $type, array $data): void
    {
        $payload = json_encode(['type' => $type, 'data' => $data], JSON_THROW_ON_ERROR);
        $mask = random_bytes(4);
        $len = strlen($payload);
        $header = chr(0x81) . ($len < 126 ? chr(0x80 | $len) : chr(0x80 | 126) . pack('n', $len));
        $masked = '';
        for ($i = 0; $i < $len; $i++) {
            $masked .= $payload[$i] ^ $mask[$i % 4];
        }
        fwrite($this->socket, $header . $mask . $masked);
    }

    /** Nothing else is queued: a ping's pong is the very next message. */
    public function assertExhausted(): void
    {
        $this->send('ping', []);
        $this->expect('pong');
    }

    public function close(): void
    {
        if (is_resource($this->socket)) {
            fclose($this->socket);
        }
    }

    /** @return array{int, string}|null */
    private function frame(): ?array
    {
        if (!$this->need(2)) {
            return null;
        }
        $opcode = ord($this->buffer[0]) & 0x0f;
        $len = ord($this->buffer[1]) & 0x7f;
        $offset = 2;
        if ($len === 126) {
            $this->need(4);
            $len = unpack('n', substr($this->buffer, 2, 2))[1];
            $offset = 4;
        } elseif ($len === 127) {
            $this->need(10);
            $len = unpack('J', substr($this->buffer, 2, 8))[1];
            $offset = 10;
        }
        if (!$this->need($offset + $len)) {
            return null;
        }
        $payload = substr($this->buffer, $offset, $len);
        $this->buffer = substr($this->buffer, $offset + $len);
        return [$opcode, $payload];
    }

    private function need(int $bytes): bool
    {
        while (strlen($this->buffer) < $bytes) {
            if (!$this->fill()) {
                return false;
            }
        }
        return true;
    }

    private function fill(): bool
    {
        $read = [$this->socket];
        $none = null;
        if (stream_select($read, $none, $none, self::WAIT_SECONDS) !== 1) {
            throw new \RuntimeException('nothing arrived within ' . self::WAIT_SECONDS . ' s');
        }
        $chunk = fread($this->socket, 65536);
        if ($chunk === '' || $chunk === false) {
            return false;
        }
        $this->buffer .= $chunk;
        return true;
    }
}
