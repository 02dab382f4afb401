using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace CrmEngine.Files.Storage;

/// <summary>
/// File contents in an S3-compatible bucket (AWS S3, MinIO, s3rver...), under
/// <c>&lt;tenant&gt;/&lt;id&gt;</c>. The bucket is created on first use when missing.
/// </summary>
public sealed class S3FileStorage : IFileStorage, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly SemaphoreSlim _bucketCheck = new(1, 1);
    private volatile bool _bucketReady;

    public S3FileStorage(IOptions<FileOptions> options)
    {
        var s3 = options.Value.S3;
        // Checksums only where S3 requires them: self-hosted stores don't all speak the SDK's newer
        // trailing-checksum chunked uploads (s3rver would keep the chunk framing as the content).
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            AuthenticationRegion = s3.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(s3.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region);
        }
        else
        {
            config.ServiceURL = s3.ServiceUrl;
        }

        _client = s3.AccessKey is { Length: > 0 } key ? new AmazonS3Client(new BasicAWSCredentials(key, s3.SecretKey), config) : new AmazonS3Client(config);
        _bucket = s3.Bucket;
    }

    public async Task PutAsync(string tenantId, Guid fileId, Uploads.StagedFile content, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken);
        await using var stream = content.OpenRead();
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = Key(tenantId, fileId), InputStream = stream, AutoCloseStream = false, ContentType = content.ContentType, UseChunkEncoding = false }, cancellationToken);
    }

    public async Task<Stream?> OpenAsync(string tenantId, Guid fileId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, Key(tenantId, fileId), cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string tenantId, Guid fileId, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(_bucket, Key(tenantId, fileId), cancellationToken);

    public async Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var keys = new List<Guid>();
        await foreach (var id in ListAsync(tenantId, cancellationToken))
        {
            keys.Add(id);
        }

        foreach (var chunk in keys.Chunk(1000))
        {
            await _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Objects = chunk.Select(id => new KeyVersion { Key = Key(tenantId, id) }).ToList() }, cancellationToken);
        }
    }

    public async IAsyncEnumerable<Guid> ListAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = tenantId + "/" };
        ListObjectsV2Response response;
        do
        {
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                yield break;
            }

            foreach (var item in response.S3Objects ?? [])
            {
                if (Guid.TryParseExact(item.Key[(tenantId.Length + 1)..], "N", out var id))
                {
                    yield return id;
                }
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
    }

    public void Dispose()
    {
        _client.Dispose();
        _bucketCheck.Dispose();
    }

    private static string Key(string tenantId, Guid fileId) => tenantId + "/" + fileId.ToString("N");

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }

        await _bucketCheck.WaitAsync(cancellationToken);
        try
        {
            if (!_bucketReady)
            {
                try
                {
                    await _client.PutBucketAsync(_bucket, cancellationToken);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
                {
                }

                _bucketReady = true;
            }
        }
        finally
        {
            _bucketCheck.Release();
        }
    }
}
