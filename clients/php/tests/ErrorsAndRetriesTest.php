<?php

declare(strict_types=1);

namespace Herald\Tests;

use Herald\Exception\ConnectionException;
use Herald\Exception\HeraldException;
use Herald\Exception\PayloadTooLargeException;
use Herald\Exception\TimeoutException;
use Herald\Exception\UnauthorizedException;
use Herald\Exception\UnavailableException;
use Herald\Exception\ValidationException;
use Herald\Tests\Support\Herald;
use Herald\Tests\Support\PhpServer;
use Herald\Tests\Support\Proxy;
use Herald\WebSocketService;
use PHPUnit\Framework\TestCase;

/** Error envelopes as typed exceptions; retries through a real proxy; timeouts against a hung server. */
final class ErrorsAndRetriesTest extends TestCase
{
    private static ?Proxy $proxy = null;

    public static function tearDownAfterClass(): void
    {
        self::$proxy?->stop();
    }

    private static function proxy(): Proxy
    {
        return self::$proxy ??= new Proxy(Herald::get()->url());
    }

    private function service(string $url, array $options = []): WebSocketService
    {
        return new WebSocketService($url, Herald::API_KEY, Herald::JWT_SECRET, $options + ['retry_backoff_ms' => 10]);
    }

    public function testWrongApiKeyIsUnauthorized(): void
    {
        $service = new WebSocketService(Herald::get()->url(), 'wrong-key');
        try {
            $service->getOnlineUserCount();
            self::fail('expected a 401');
        } catch (UnauthorizedException $e) {
            self::assertSame(401, $e->status());
            self::assertStringContainsString('unauthorized', $e->getMessage());
        }
    }

    public function testBadChannelIsAValidationErrorNamingTheField(): void
    {
        $this->expectException(ValidationException::class);
        $this->expectExceptionCode(422);
        $this->expectExceptionMessageMatches('/channel/');
        $this->service(Herald::get()->url())->sendToChannel('bad channel!', 'x', []);
    }

    public function testOversizedBodyIsPayloadTooLarge(): void
    {
        $this->expectException(PayloadTooLargeException::class);
        $this->service(Herald::get()->url())->sendToUser(1, ['type' => 't', 'data' => str_repeat('x', 2 * 1024 * 1024)]);
    }

    public function testUnavailableIsRetriedWithOneIdempotencyKeyAndDeliveredOnce(): void
    {
        $ws = Herald::get()->connect(2001);
        $proxy = self::proxy();
        $before = count($proxy->seen());
        $proxy->spoil('503', 2);
        self::assertTrue($this->service($proxy->url())->sendToUser(2001, ['type' => 'order', 'data' => ['id' => 1]]));
        $seen = array_slice($proxy->seen(), $before);
        self::assertCount(3, $seen);
        self::assertCount(1, array_unique(array_column($seen, 2)));
        self::assertNotEmpty($seen[0][2]);
        self::assertSame(['id' => 1], $ws->expect('order')['data']);
        $ws->assertExhausted();
        $ws->close();
    }

    public function testLostAnswerIsRetriedWithTheSameKey(): void
    {
        $ws = Herald::get()->connect(2002);
        $proxy = self::proxy();
        $before = count($proxy->seen());
        $proxy->spoil('lose', 1);
        self::assertTrue($this->service($proxy->url(), ['timeout' => 5])->sendToUser(2002, ['type' => 'order', 'data' => ['id' => 2]]));
        $seen = array_slice($proxy->seen(), $before);
        self::assertCount(2, $seen);
        self::assertSame($seen[0][2], $seen[1][2]);
        self::assertSame(['id' => 2], $ws->expect('order')['data']);
        // Herald kept the first answer under the key: the retry is answered from it, not delivered again.
        $ws->assertExhausted();
        $ws->close();
    }

    public function testGivesUpWithTheLastErrorAfterMaxAttempts(): void
    {
        $proxy = self::proxy();
        $before = count($proxy->seen());
        $proxy->spoil('503', 5);
        try {
            $this->service($proxy->url(), ['max_attempts' => 2])->getOnlineUserCount();
            self::fail('expected a 503');
        } catch (UnavailableException $e) {
            self::assertSame('try again', $e->getMessage());
        }
        self::assertCount(2, array_slice($proxy->seen(), $before));
        $proxy->spoil('503', 0);
    }

    public function testWithoutIdempotencyKeysALostAnswerIsNotRetried(): void
    {
        $proxy = self::proxy();
        $before = count($proxy->seen());
        $proxy->spoil('lose', 1);
        try {
            $this->service($proxy->url(), ['idempotency_keys' => false, 'timeout' => 5])->sendToUser(1, ['type' => 't', 'data' => []]);
            self::fail('expected a broken answer');
        } catch (HeraldException $e) {
            self::assertSame(0, $e->status());
        }
        $seen = array_slice($proxy->seen(), $before);
        self::assertCount(1, $seen);
        self::assertNull($seen[0][2]);
    }

    public function testStalledServerTimesOut(): void
    {
        $server = stream_socket_server('tcp://127.0.0.1:0'); // accepts (backlog) and never answers
        $port = (int) substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
        $started = microtime(true);
        try {
            $this->service("http://127.0.0.1:$port", ['timeout' => 0.3, 'max_attempts' => 2])->sendToUser(1, ['type' => 't', 'data' => []]);
            self::fail('expected a timeout');
        } catch (TimeoutException $e) {
            self::assertSame(0, $e->status());
            self::assertStringContainsString('no answer within 0.3 s', $e->getMessage());
        } finally {
            fclose($server);
        }
        self::assertGreaterThanOrEqual(0.6, microtime(true) - $started);
    }

    public function testRefusedConnectionIsAConnectionException(): void
    {
        $port = PhpServer::freePort();
        $this->expectException(ConnectionException::class);
        $this->expectExceptionMessageMatches("/127.0.0.1:$port/");
        $this->service("http://127.0.0.1:$port", ['idempotency_keys' => false])->getOnlineUserCount();
    }

    public function testBadSettingsAreRefusedWithTheValue(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('url must be an http:// or https:// URL with a host: "ftp://x"');
        new WebSocketService('ftp://x', 'k');
    }
}
