<?php

declare(strict_types=1);

namespace Herald\Tests\Support;

use Herald\Tokens;

/**
 * One real Herald for the whole test run: `java -jar <jar> start` on a free loopback port (the jar
 * is HERALD_JAR, else the shaded jar under server/target), stopped when PHP exits.
 */
final class Herald
{
    public const API_KEY = 'php-test-api-key';
    public const JWT_SECRET = 'php-test-secret-0123456789-abcdefghijklmnop';
    private const STARTUP_SECONDS = 60;

    private static ?self $instance = null;

    /** @var resource */
    private $process;
    public readonly int $port;

    private function __construct(array $extraEnv = [])
    {
        $jar = getenv('HERALD_JAR') ?: (glob(__DIR__ . '/../../../../server/target/herald-server-*-all.jar')[0] ?? null);
        if ($jar === null || !is_file($jar)) {
            throw new \RuntimeException('Herald jar not found: build it with "mvn -q -DskipTests package" or set HERALD_JAR');
        }
        $dir = sys_get_temp_dir() . '/herald-php-' . getmypid() . '-' . bin2hex(random_bytes(3));
        @mkdir($dir);
        $env = getenv() + [];
        $env = array_merge($env, ['HERALD_PORT' => '0', 'HERALD_HOST' => '127.0.0.1',
            'HERALD_JWT_SECRET' => self::JWT_SECRET, 'HERALD_API_KEY' => self::API_KEY], $extraEnv);
        $this->process = proc_open(['java', '-jar', $jar, 'start'], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $dir, $env);
        $output = '';
        $deadline = time() + self::STARTUP_SECONDS;
        stream_set_blocking($pipes[1], false);
        while (!preg_match('~listening on ws://[^:]+:(\d+)/ws~', $output, $m)) {
            if (time() > $deadline || !proc_get_status($this->process)['running']) {
                throw new \RuntimeException("Herald did not start:\n$output" . stream_get_contents($pipes[2]));
            }
            $read = [$pipes[1]];
            $none = null;
            if (stream_select($read, $none, $none, 1) === 1) {
                $output .= fread($pipes[1], 8192);
            }
        }
        $this->port = (int) $m[1];
        register_shutdown_function(fn () => $this->stop());
    }

    public static function get(): self
    {
        return self::$instance ??= new self();
    }

    /** Another Herald with these extra environment variables (e.g. HERALD_AUTH_PROXY_CONNECT_URL). */
    public static function start(array $env): self
    {
        return new self($env);
    }

    public function stop(): void
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process);
            proc_close($this->process);
        }
    }

    public function url(): string
    {
        return 'http://127.0.0.1:' . $this->port;
    }

    /** Connects $userId with a token minted by the package's helper and reads the connected frame. */
    public function connect(int|string $userId): WsClient
    {
        $token = (new Tokens(self::JWT_SECRET))->userToken($userId, 300);
        $ws = new WsClient('127.0.0.1', $this->port, '/ws?user_id=' . rawurlencode((string) $userId) . '&token=' . $token);
        $ws->expect('connected');
        return $ws;
    }
}
