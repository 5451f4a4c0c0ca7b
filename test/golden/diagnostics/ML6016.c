// args: --function level_of --kernel v6.6
// A switch whose first case falls through into the second.
static int level_of(int order)
{
	int level = 0;

	switch (order) {
	case 9:
		level = 2;
	case 0:
		level++;
		break;
	}
	return level;
}
