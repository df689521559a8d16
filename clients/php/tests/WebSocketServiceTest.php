<?php

declare(strict_types=1);

namespace Herald\Tests;

use Herald\Tests\Support\Herald;
use Herald\WebSocketService;
use PHPUnit\Framework\TestCase;

/** Every method of the seed's WebSocketService against a real Herald. */
final class WebSocketServiceTest extends TestCase
{
    private WebSocketService $service;
    private array $sockets = [];

    protected function setUp(): void
    {
        $this->service = new WebSocketService(Herald::get()->url(), Herald::API_KEY, Herald::JWT_SECRET);
    }

    protected function tearDown(): void
    {
        foreach ($this->sockets as $ws) {
            $ws->close();
        }
    }

    private function connect(int|string $userId)
    {
        return $this->sockets[] = Herald::get()->connect($userId);
    }

    public function testSendToUserTakesTheSeedsMessageArray(): void
    {
        $a = $this->connect(1001);
        $b = $this->connect(1001);
        $sent = $this->service->sendToUser(1001, ['type' => 'notification', 'data' => ['title' => '新消息', 'message' => '您有一条新消息']]);
        self::assertTrue($sent);
        foreach ([$a, $b] as $ws) {
            self::assertSame('新消息', $ws->expect('notification')['data']['title']);
        }
        self::assertFalse($this->service->sendToUser(999999, ['type' => 'notification', 'data' => []]));
    }

    public function testMessageWithoutDataKeyCarriesTheOtherKeys(): void
    {
        $a = $this->connect(1002);
        $this->service->sendToUser('1002', ['type' => 'order', 'id' => 5]);
        self::assertSame(['id' => 5], $a->expect('order')['data']);
        $this->service->sendToUser(1002, ['text' => 'hi']);
        self::assertSame(['text' => 'hi'], $a->expect('message')['data']);
    }

    public function testSendToUsersCountsUsersReached(): void
    {
        $a = $this->connect(1003);
        $b = $this->connect('bob');
        $n = $this->service->sendToUsers([1003, 'bob', 424242], ['type' => 'notification', 'data' => ['title' => '系统通知']]);
        self::assertSame(2, $n);
        self::assertSame('系统通知', $a->expect('notification')['data']['title']);
        self::assertSame('系统通知', $b->expect('notification')['data']['title']);
    }

    public function testBroadcastExcludesOneUser(): void
    {
        $a = $this->connect(1004);
        $b = $this->connect(1005);
        $n = $this->service->broadcast(['type' => 'notification', 'data' => ['title' => '公告']], 1005);
        self::assertGreaterThanOrEqual(1, $n);
        self::assertSame('公告', $a->expect('notification')['data']['title']);
        $b->assertExhausted();
    }

    public function testSendToChannelAsInTheSeed(): void
    {
        $a = $this->connect(1006);
        $a->send('subscribe', ['channel' => 'system_monitor']);
        $a->expect('subscribed');
        $webSocketService = $this->service;
        // The seed's "数据监控" example, unchanged:
        $n = $webSocketService->sendToChannel('system_monitor', 'monitor', [
            'cpu_usage' => 75,
            'memory_usage' => 80,
            'disk_usage' => 60
        ]);
        self::assertSame(1, $n);
        $m = $a->expect('monitor');
        self::assertSame('system_monitor', $m['channel']);
        self::assertSame(['cpu_usage' => 75, 'memory_usage' => 80, 'disk_usage' => 60], $m['data']);
    }

    public function testPresence(): void
    {
        $this->connect(1007);
        self::assertTrue($this->service->isUserOnline(1007));
        self::assertTrue($this->service->isUserOnline('1007'));
        self::assertFalse($this->service->isUserOnline(31337));
        self::assertGreaterThanOrEqual(1, $this->service->getOnlineUserCount());
        self::assertContains(1007, $this->service->getOnlineUsers());
    }

    public function testSystemNotificationAsInTheSeed(): void
    {
        $a = $this->connect(1008);
        $webSocketService = $this->service;
        // The seed's "实时通知" example, unchanged:
        $webSocketService->sendSystemNotification(
            '系统维护',
            '系统将于今晚进行维护',
            'warning'
        );
        $data = $a->expect('notification')['data'];
        self::assertSame(['系统维护', '系统将于今晚进行维护', 'warning'], [$data['title'], $data['message'], $data['type']]);
        self::assertArrayNotHasKey('extra_data', $data);
        self::assertIsInt($data['timestamp']);

        $this->service->sendSystemNotification('t', 'm', 'info', ['start_time' => '23:00']);
        self::assertSame(['start_time' => '23:00'], $a->expect('notification')['data']['extra_data']);

        self::assertSame(1, $this->service->sendNotificationToUsers([1008], '订单更新', '您的订单已发货', 'success'));
        self::assertSame('success', $a->expect('notification')['data']['type']);
    }

    public function testPushDataUpdateAsInTheSeed(): void
    {
        $a = $this->connect(1009);
        $webSocketService = $this->service;
        $order = (object) ['id' => 123, 'user_id' => 1009, 'status' => 'shipped', 'updated_at' => '2024-02-08 10:00:00'];
        // The seed's "订单状态更新" example, unchanged:
        $webSocketService->pushDataUpdate(
            [$order->user_id],
            'order',
            'update',
            [
                'id' => $order->id,
                'status' => $order->status,
                'updated_at' => $order->updated_at
            ]
        );
        $data = $a->expect('data_update')['data'];
        self::assertSame(['order', 'update'], [$data['resource_type'], $data['action']]);
        self::assertSame(['id' => 123, 'status' => 'shipped', 'updated_at' => '2024-02-08 10:00:00'], $data['data']);

        $a->send('subscribe', ['channel' => 'orders']);
        $a->expect('subscribed');
        self::assertSame(1, $this->service->pushDataUpdateToChannel('orders', 'order', 'create', ['id' => 124, 'amount' => 100.00]));
        $m = $a->expect('data_update');
        self::assertSame('orders', $m['channel']);
        self::assertEquals(100.0, $m['data']['data']['amount']);
    }

    public function testDisconnectUserClosesWith4002(): void
    {
        $a = $this->connect(1010);
        self::assertSame(1, $this->service->disconnectUser(1010));
        self::assertNull($a->next());
        self::assertSame(4002, $a->closeCode);
    }

    public function testTokensFromTheHelperAreAcceptedAndWrongOnesRefused(): void
    {
        $ws = $this->connect(1011); // connect() mints its token with Herald\Tokens
        $ws->assertExhausted();
        // Longer than auth.expiry_warning (60 s): a shorter token is warned at once with token_expiring.
        $token = $this->service->userToken(1012, 600, ['private-team-*']);
        $ws2 = $this->sockets[] = new Support\WsClient('127.0.0.1', Herald::get()->port, "/ws?user_id=1012&token=$token");
        $ws2->expect('connected');
        $ws2->send('subscribe', ['channel' => 'private-team-7']);
        self::assertSame('private-team-7', $ws2->expect('subscribed')['data']['channel']);

        $bad = (new \Herald\Tokens(str_repeat('x', 32)))->userToken(1013);
        $ws3 = $this->sockets[] = new Support\WsClient('127.0.0.1', Herald::get()->port, "/ws?user_id=1013&token=$bad");
        self::assertNull($ws3->next());
        self::assertSame(4001, $ws3->closeCode);
    }

    public function testSubscriptionTokensOpenOnePrivateChannel(): void
    {
        $ws = $this->connect(1014);
        $ws->send('subscribe', ['channel' => 'private-orders.1014', 'token' => $this->service->subscriptionToken(1014, 'private-orders.1014')]);
        self::assertSame('private-orders.1014', $ws->expect('subscribed')['data']['channel']);
        $ws->send('subscribe', ['channel' => 'private-orders.1015', 'token' => $this->service->subscriptionToken(1014, 'private-orders.1014')]);
        self::assertSame('forbidden', $ws->expect('error')['data']['code']);
    }

    public function testEnvironmentConfiguresTheService(): void
    {
        putenv('HERALD_URL=' . Herald::get()->url());
        putenv('HERALD_API_KEY=' . Herald::API_KEY);
        putenv('HERALD_JWT_SECRET=' . Herald::JWT_SECRET);
        try {
            $service = new WebSocketService();
            self::assertIsInt($service->getOnlineUserCount());
            $claims = json_decode(base64_decode(strtr(explode('.', $service->subscriptionToken(7, 'private-orders.7'))[1], '-_', '+/')), true);
            self::assertSame(['7', 'private-orders.7'], [$claims['sub'], $claims['channel']]);
            self::assertGreaterThan($claims['iat'], $claims['exp']);
        } finally {
            putenv('HERALD_URL');
            putenv('HERALD_API_KEY');
            putenv('HERALD_JWT_SECRET');
        }
    }
}
