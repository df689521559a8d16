<?php

declare(strict_types=1);

namespace Herald\Tests;

use Herald\Laravel\Facades\Herald as HeraldFacade;
use Herald\Laravel\HeraldServiceProvider;
use Herald\Tests\Support\Herald;
use Herald\Tests\Support\LaravelApp;
use Herald\WebSocketService;
use Illuminate\Broadcasting\Channel;
use Illuminate\Broadcasting\InteractsWithSockets;
use Illuminate\Broadcasting\PrivateChannel;
use Illuminate\Contracts\Broadcasting\ShouldBroadcast;
use Illuminate\Foundation\Application;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Broadcast;
use Illuminate\Support\ServiceProvider;
use PHPUnit\Framework\TestCase;
use Symfony\Component\HttpKernel\Exception\AccessDeniedHttpException;

/** The provider, facade and broadcasting driver in a real Laravel application container. */
final class LaravelTest extends TestCase
{
    private Application $app;

    public static function setUpBeforeClass(): void
    {
        if (!LaravelApp::autoload()) {
            self::fail('Laravel not found: apt-get install php-laravel-framework (test.sh does)');
        }
    }

    protected function setUp(): void
    {
        $this->app = LaravelApp::create([
            'url' => Herald::get()->url(),
            'api_key' => Herald::API_KEY,
            'jwt_secret' => Herald::JWT_SECRET,
        ]);
    }

    public function testProviderBindsTheServiceFromConfigAndTheFacadeUsesIt(): void
    {
        $service = $this->app->make(WebSocketService::class);
        self::assertSame($service, $this->app->make('herald'));
        self::assertSame($service, HeraldFacade::getFacadeRoot());
        self::assertSame('http://127.0.0.1:5200', (require __DIR__ . '/../config/herald.php')['url'] ?? null);

        $ws = Herald::get()->connect(3001);
        self::assertTrue(HeraldFacade::isUserOnline(3001));
        HeraldFacade::pushDataUpdate([3001], 'order', 'update', ['id' => 9]);
        self::assertSame(9, $ws->expect('data_update')['data']['data']['id']);
        $ws->close();
    }

    public function testConfigIsPublishable(): void
    {
        $paths = ServiceProvider::pathsToPublish(HeraldServiceProvider::class, 'herald-config');
        self::assertCount(1, $paths);
        $source = array_key_first($paths);
        self::assertFileExists($source);
        self::assertSame($this->app->configPath('herald.php'), $paths[$source]);
        self::assertStringContainsString("env('HERALD_API_KEY')", file_get_contents($source));
    }

    public function testBroadcastOfAnEventReachesTheChannelsSubscribers(): void
    {
        $ws = Herald::get()->connect(3002);
        $ws->send('subscribe', ['channel' => 'orders']);
        $ws->expect('subscribed');
        $order = (object) ['id' => 77, 'status' => 'shipped'];

        broadcast(new OrderShipped($order));

        $m = $ws->expect('order.shipped');
        self::assertSame('orders', $m['channel']);
        self::assertSame(['order' => ['id' => 77, 'status' => 'shipped']], $m['data']);
        $ws->close();
    }

    public function testChannelsAuthorizationAnswersASubscriptionToken(): void
    {
        Broadcast::channel('orders.{orderId}', fn ($user, $orderId) => (int) $user->id === (int) $orderId);
        $user = new TestUser(5);

        $answer = Broadcast::auth($this->request('private-orders.5', $user));
        self::assertSame('private-orders.5', $answer['channel']);
        $claims = json_decode(base64_decode(strtr(explode('.', $answer['token'])[1], '-_', '+/')), true);
        self::assertSame(['5', 'private-orders.5'], [$claims['sub'], $claims['channel']]);
        self::assertLessThanOrEqual(300, $claims['exp'] - $claims['iat']);

        // The token opens exactly that channel on Herald for user 5.
        $ws = Herald::get()->connect(5);
        $ws->send('subscribe', ['channel' => 'private-orders.5', 'token' => $answer['token']]);
        self::assertSame('private-orders.5', $ws->expect('subscribed')['data']['channel']);
        $ws->close();

        $this->expectException(AccessDeniedHttpException::class);
        Broadcast::auth($this->request('private-orders.6', $user));
    }

    public function testGuestsGetNoPrivateChannel(): void
    {
        Broadcast::channel('orders.{orderId}', fn ($user, $orderId) => true);
        $this->expectException(AccessDeniedHttpException::class);
        Broadcast::auth($this->request('private-orders.5', null));
    }

    private function request(string $channel, ?TestUser $user): Request
    {
        $request = Request::create('/broadcasting/auth', 'POST', ['channel_name' => $channel]);
        $request->setUserResolver(fn () => $user);
        return $request;
    }
}

final class TestUser
{
    public function __construct(public readonly int $id)
    {
    }

    public function getAuthIdentifier(): int
    {
        return $this->id;
    }
}

final class OrderShipped implements ShouldBroadcast
{
    use InteractsWithSockets;

    public function __construct(public object $order)
    {
    }

    public function broadcastOn(): array
    {
        return [new Channel('orders')];
    }

    public function broadcastAs(): string
    {
        return 'order.shipped';
    }

    public function broadcastWith(): array
    {
        return ['order' => (array) $this->order];
    }
}
