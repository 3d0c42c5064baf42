if (args.Length > 0 && args[0] == "analogy") return DeepAnalogyBenchmark.Run(args[1..]);
Console.WriteLine("bench: `analogy [--repeat N] [--weights … --a … --b … --size 224 --out DIR]`");
return 0;
