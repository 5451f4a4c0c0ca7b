// args: --function shifts --kernel v6.6
// A for loop whose update has no effect to translate.
static int shifts(int n)
{
	int i, k = 0;

	for (i = 1; i < n; i << 1)
		k++;
	return k;
}
