<?php

declare(strict_types=1);

namespace Herald\Tests\Support;

use Illuminate\Auth\GenericUser;
use Illuminate\Contracts\Auth\Authenticatable;
use Illuminate\Contracts\Auth\UserProvider;

/** An application's users without a database: id 42 (api token tok-42) and id 7 (tok-7). */
final class MemoryUsers implements UserProvider
{
    private const USERS = [42 => 'tok-42', 7 => 'tok-7'];

    public function retrieveById($identifier): ?Authenticatable
    {
        $id = (int) $identifier;
        return isset(self::USERS[$id]) ? new GenericUser(['id' => $id, 'api_token' => self::USERS[$id]]) : null;
    }

    public function retrieveByToken($identifier, $token): ?Authenticatable
    {
        return null;
    }

    public function updateRememberToken(Authenticatable $user, $token): void
    {
    }

    public function retrieveByCredentials(array $credentials): ?Authenticatable
    {
        $id = array_search($credentials['api_token'] ?? null, self::USERS, true);
        return $id === false ? null : $this->retrieveById($id);
    }

    public function validateCredentials(Authenticatable $user, array $credentials): bool
    {
        return true;
    }
}
