<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 401: no API key, or a wrong one (HERALD_API_KEY). */
class UnauthorizedException extends HeraldException
{
}
